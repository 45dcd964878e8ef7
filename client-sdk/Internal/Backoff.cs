namespace Mixnet.Directory.Client.Internal;

/// <summary>
/// Capped exponential backoff with full jitter: the ceiling doubles from <c>min</c> per failure up
/// to <c>max</c>, and the wait is uniform in [0, ceiling), so that nodes a restarted directory
/// dropped at the same moment do not come back in lockstep.
/// </summary>
internal static class Backoff
{
    /// <summary>The largest wait after <paramref name="attempt"/> consecutive failures (0 = first).</summary>
    public static TimeSpan Ceiling(int attempt, TimeSpan min, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var ceiling = min.Ticks * Math.Pow(2, Math.Min(attempt, 62));
        return ceiling >= max.Ticks ? max : TimeSpan.FromTicks((long)ceiling);
    }

    /// <summary>The wait after <paramref name="attempt"/> failures, given a uniform sample in [0, 1).</summary>
    public static TimeSpan Delay(int attempt, TimeSpan min, TimeSpan max, double random) =>
        TimeSpan.FromTicks((long)(Ceiling(attempt, min, max).Ticks * Math.Clamp(random, 0, 1)));

    /// <summary>An interval spread by ±<paramref name="fraction"/>, given a uniform sample in [0, 1).</summary>
    public static TimeSpan Jitter(TimeSpan interval, double fraction, double random) =>
        TimeSpan.FromTicks((long)(interval.Ticks * (1 - fraction + (2 * fraction * Math.Clamp(random, 0, 1)))));
}
