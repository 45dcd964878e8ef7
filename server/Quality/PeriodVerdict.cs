namespace Mixnet.Directory.Server.Quality;

/// <summary>One listed node's judgement for one period.</summary>
/// <param name="Forwarding">Sent over received as the node itself reports (mixnodes with enough traffic), at most 1; null without evidence.</param>
/// <param name="ForwardingScore">What <paramref name="Forwarding"/> is worth (<see cref="LinkJudge.ForwardingScore"/>); null without evidence.</param>
/// <param name="Agreement">The node's link traffic its peers confirm, weighted by its own counts; null when no link was judged.</param>
/// <param name="JudgedPeers">Distinct peers with a link judged on both sides.</param>
/// <param name="DisputedPeers">Distinct peers with a link judged on both sides that disagreed.</param>
/// <param name="Excluded">True when too many of its peers disputed it.</param>
internal readonly record struct PeriodVerdict(double? Forwarding, double? ForwardingScore, double? Agreement, int JudgedPeers, int DisputedPeers, bool Excluded)
{
    /// <summary>The period's reliability sample, or null without evidence: forwarding score × agreement.</summary>
    public double? Reliability => ForwardingScore is null && Agreement is null ? null : (ForwardingScore ?? 1) * (Agreement ?? 1);
}
