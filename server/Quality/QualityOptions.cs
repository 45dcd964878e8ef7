namespace Mixnet.Directory.Server.Quality;

/// <summary>The <c>Directory:Quality</c> settings: how nodes are scored from presence and link reports.</summary>
public sealed class QualityOptions
{
    /// <summary>Whether reports are scored at all; off, metrics reports skip quality entirely (the bench compares the cost).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often nodes are scored and the scores published (at most one topology version per period for quality).</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The span <c>reliability</c> and <c>uptime</c> average over.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The span <c>reliability_24h</c> averages over.</summary>
    public TimeSpan LongWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Relative difference between what a link's sender says it sent and its receiver says it
    /// received that still counts as agreement: real links lose a little, and reports straddle
    /// period boundaries.
    /// </summary>
    public double LinkTolerance { get; set; } = 0.05;

    /// <summary>
    /// How sharply forwarding counts: a mixnode's forwarding score is
    /// <c>min(1, (sent / received / (1 − LinkTolerance))^ForwardingExponent)</c>, so losses within
    /// the tolerance cost nothing and a node that drops half scores about 0.08 instead of 0.5.
    /// Only the node's own report enters it, so no other node can move it.
    /// </summary>
    public double ForwardingExponent { get; set; } = 4;

    /// <summary>The reliability a new identity starts at (the clients' default threshold), so re-registering under a fresh key never buys a clean score.</summary>
    public double NewNodePrior { get; set; } = 0.5;

    /// <summary>How many periods the prior weighs: reliability is <c>(NewNodePrior·PriorWeight + Σ samples) / (PriorWeight + n)</c> until the window is full.</summary>
    public int PriorWeight { get; set; } = 5;

    /// <summary>Packets a link (either side's count) must carry in a period to be judged; below it, noise decides.</summary>
    public long MinLinkPackets { get; set; } = 50;

    /// <summary>A node disputed by more than this share of the distinct peers it has judged links with is excluded for the next period.</summary>
    public double ExcludeShare { get; set; } = 0.25;

    /// <summary>Fewest judged peers before a node can be excluded, so two or three accusers cannot exclude a quiet node.</summary>
    public int MinPeersToExclude { get; set; } = 4;

    /// <summary>Distinct hops one node's counts are kept for within a period; further hops are ignored (bounded memory).</summary>
    public int MaxHopsPerNode { get; set; } = 4096;

    /// <summary>
    /// How often the scores are written to <c>{DataPath}/quality.json</c> (whole, atomically; about
    /// 15 MB at 100,000 nodes), and when the directory stops. A crash loses at most this much
    /// history, which traffic rebuilds within a window.
    /// </summary>
    public TimeSpan SaveInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Nodes kept scored, listed or not; the ones absent longest are forgotten first.</summary>
    public int MaxTrackedNodes { get; set; } = 200_000;
}
