namespace Mixnet.Directory.Server.Quality;

/// <summary>
/// One node's running scores: averages over the window and over 24 h that start from a prior
/// worth <see cref="QualityOptions.PriorWeight"/> periods at <see cref="QualityOptions.NewNodePrior"/>
/// (so a fresh identity starts near the clients' threshold and earns its weight), are plain means
/// of prior and samples while the window fills, and exponential once it is full.
/// Only the tracker's period loop touches it.
/// </summary>
internal sealed class NodeScore
{
    /// <summary>A node never seen before: reliability at the prior, present so far.</summary>
    public static NodeScore New(QualityOptions options) => new()
    {
        Reliability = options.NewNodePrior,
        Reliability24h = options.NewNodePrior,
    };

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

    /// <summary>Adds one period's sample; <paramref name="priorWeight"/> is how many periods the starting value counts as (<see cref="QualityOptions.PriorWeight"/>).</summary>
    public void AddReliability(double sample, int windowPeriods, int longPeriods, int priorWeight)
    {
        ReliabilitySamples = Math.Min(ReliabilitySamples + 1, longPeriods);
        Reliability = Blend(Reliability, sample, ReliabilitySamples + priorWeight, windowPeriods);
        Reliability24h = Blend(Reliability24h, sample, ReliabilitySamples + priorWeight, longPeriods);
    }

    private static double Blend(double average, double sample, int samples, int periods)
    {
        var alpha = 1.0 / Math.Min(samples, Math.Max(1, periods));
        return Math.Clamp(average + (alpha * (sample - average)), 0, 1);
    }
}
