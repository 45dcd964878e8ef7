namespace Mixnet.Directory.Server.Quality;

/// <summary>
/// One node's running scores: averages over the window and over 24 h that start as plain means
/// (so a new node's first periods count fully) and become exponential once the window is full.
/// Only the tracker's period loop touches it.
/// </summary>
internal sealed class NodeScore
{
    public double Reliability { get; set; } = 1;

    public double Reliability24h { get; set; } = 1;

    public double Uptime { get; set; } = 1;

    /// <summary>Periods with a reliability sample, capped at the 24 h count.</summary>
    public int ReliabilitySamples { get; set; }

    /// <summary>Periods the node was ticked, capped at the 24 h count.</summary>
    public int PresenceSamples { get; set; }

    public bool Excluded { get; set; }

    public DateTimeOffset LastListed { get; set; }

    public void AddPresence(bool present, int windowPeriods, int longPeriods)
    {
        PresenceSamples = Math.Min(PresenceSamples + 1, longPeriods);
        Uptime = Blend(Uptime, present ? 1 : 0, PresenceSamples, windowPeriods);
    }

    public void AddReliability(double sample, int windowPeriods, int longPeriods)
    {
        ReliabilitySamples = Math.Min(ReliabilitySamples + 1, longPeriods);
        Reliability = Blend(Reliability, sample, ReliabilitySamples, windowPeriods);
        Reliability24h = Blend(Reliability24h, sample, ReliabilitySamples, longPeriods);
    }

    private static double Blend(double average, double sample, int samples, int periods)
    {
        var alpha = 1.0 / Math.Min(samples, Math.Max(1, periods));
        return Math.Clamp(average + (alpha * (sample - average)), 0, 1);
    }
}
