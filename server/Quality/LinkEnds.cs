namespace Mixnet.Directory.Server.Quality;

/// <summary>Every listed node's link ends of one period, in one flat array (node i's are <c>[Start[i], Start[i + 1])</c>).</summary>
internal sealed class LinkEnds(int[] start, LinkEnd[] ends)
{
    /// <summary>The most ends any one node has.</summary>
    public int MaxDegree { get; } = Degree(start);

    public ReadOnlySpan<LinkEnd> Of(int node) => ends.AsSpan(start[node], start[node + 1] - start[node]);

    private static int Degree(int[] start)
    {
        var max = 0;
        for (var i = 0; i + 1 < start.Length; i++)
        {
            max = Math.Max(max, start[i + 1] - start[i]);
        }

        return max;
    }
}
