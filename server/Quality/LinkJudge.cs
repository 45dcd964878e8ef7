using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Server.Quality;

/// <summary>
/// Scores one period (Miranda's idea: judge links, not nodes). For every link A→B with enough
/// traffic it compares A's <c>sent</c> to B with B's <c>received_from</c> A. Each end is weighted
/// by its own count (at least its median link count), so a liar cannot inflate the weight of a
/// link on its victim's side, and every accusation also costs the accuser one of its own links.
/// A side that reported nothing usable (silent, or no <c>received_from</c>) costs only itself.
/// Pure: no clock, no shared state.
/// </summary>
internal static class LinkJudge
{
    public static Dictionary<NodeId, PeriodVerdict> Judge(
        IReadOnlyList<QualityNode> listed,
        IReadOnlyDictionary<NodeId, HopCountsBox> reports,
        HopTable hops,
        QualityOptions options)
    {
        var n = listed.Count;
        var index = new Dictionary<NodeId, int>(n);
        for (var i = 0; i < n; i++)
        {
            index[listed[i].Id] = i;
        }

        var boxes = new HopCountsBox?[n];
        foreach (var (id, box) in reports)
        {
            if (index.TryGetValue(id, out var i))
            {
                boxes[i] = box;
            }
        }

        // Endpoint numbers → listed nodes once; then the links in two linear passes over flat
        // arrays (a hash map of every link and a list per node cost 1.7 s at 2,000 nodes × 1,024 links).
        var slots = hops.Slots(listed);
        var links = new LinkWalk(boxes, slots, options);
        var ends = links.Ends();

        var verdicts = new Dictionary<NodeId, PeriodVerdict>(n);
        var agreement = new AgreementScratch(n, ends.MaxDegree);
        for (var i = 0; i < n; i++)
        {
            double? forwarding = null;
            if (listed[i].IsMixnode && boxes[i] is { } box && box.Received >= (ulong)options.MinLinkPackets)
            {
                forwarding = Math.Min(1.0, (double)box.SentTotal / box.Received);
            }

            var (share, judged, disputed) = agreement.Of(i, ends.Of(i));
            var excluded = judged >= options.MinPeersToExclude && disputed > options.ExcludeShare * judged;
            verdicts[listed[i].Id] = new PeriodVerdict(forwarding, forwarding is { } f ? ForwardingScore(f, options) : null, share, judged, disputed, excluded);
        }

        return verdicts;
    }

    /// <summary>
    /// What a forwarding ratio is worth: 1 while the share dropped is within
    /// <see cref="QualityOptions.LinkTolerance"/> (real links lose a little, reports straddle
    /// periods), then falling as the ratio over (1 − tolerance) raised to
    /// <see cref="QualityOptions.ForwardingExponent"/>: with 5 % and 4, dropping 20 % gives 0.50,
    /// dropping half 0.08. Only the node's own counts enter it, so no liar can move it.
    /// </summary>
    public static double ForwardingScore(double forwarding, QualityOptions options) =>
        Math.Min(1.0, Math.Pow(Math.Clamp(forwarding, 0, 1) / (1 - options.LinkTolerance), options.ForwardingExponent));
}
