namespace Mixnet.Directory.Server.Quality;

/// <summary>The k-th smallest value without sorting everything (what sorting then indexing gives).</summary>
internal static class Median
{
    // Partition rounds before falling back to a sort of what is left: a node chooses its own
    // counts, so it could feed median-of-three a bad order; a sort keeps that at n log n.
    private const int MaxRounds = 48;

    /// <summary>Reorders <paramref name="values"/> and returns its <paramref name="k"/>-th smallest (0-based).</summary>
    public static double Select(Span<double> values, int k)
    {
        int lo = 0, hi = values.Length - 1;
        for (var round = 0; lo < hi; round++)
        {
            if (round == MaxRounds || hi - lo < 16)
            {
                values[lo..(hi + 1)].Sort();
                return values[k];
            }

            var pivot = MedianOfThree(values[lo], values[lo + ((hi - lo) / 2)], values[hi]);
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return values[k];
            }
        }

        return values[k];
    }

    private static double MedianOfThree(double a, double b, double c) =>
        Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
}
