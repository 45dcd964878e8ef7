namespace Mixnet.Directory.Bench.Soak;

/// <summary>Least-squares line through (x, y) points, with the standard error of its slope.</summary>
internal readonly record struct Regression(double Slope, double SlopeError, int Points)
{
    public static Regression Fit(IReadOnlyList<(double X, double Y)> points)
    {
        var n = points.Count;
        if (n < 3)
        {
            return new Regression(double.NaN, double.NaN, n);
        }

        var meanX = points.Average(p => p.X);
        var meanY = points.Average(p => p.Y);
        var sxx = points.Sum(p => (p.X - meanX) * (p.X - meanX));
        var sxy = points.Sum(p => (p.X - meanX) * (p.Y - meanY));
        if (sxx == 0)
        {
            return new Regression(double.NaN, double.NaN, n);
        }

        var slope = sxy / sxx;
        var intercept = meanY - (slope * meanX);
        var residuals = points.Sum(p => Math.Pow(p.Y - (intercept + (slope * p.X)), 2));
        return new Regression(slope, Math.Sqrt(residuals / (n - 2) / sxx), n);
    }

    /// <summary>Zero lies inside the slope's ±2 standard errors (about a 95 % interval).</summary>
    public bool WithinNoiseOfZero => !double.IsNaN(Slope) && Math.Abs(Slope) <= 2 * SlopeError;
}
