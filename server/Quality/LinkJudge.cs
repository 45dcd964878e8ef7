using System.Runtime.InteropServices;
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

        // (from, to) → (sender's count, receiver's count); endpoint numbers → listed nodes once.
        var slots = hops.Slots(listed);
        var links = new Dictionary<long, (ulong Sent, ulong Received)>();
        for (var a = 0; a < n; a++)
        {
            if (boxes[a] is not { } box)
            {
                continue;
            }

            foreach (var (endpoint, count) in box.Sent)
            {
                if (slots[endpoint] is var b and >= 0 && b != a)
                {
                    ref var link = ref CollectionsMarshal.GetValueRefOrAddDefault(links, ((long)a * n) + b, out _);
                    link.Sent += count;
                }
            }

            foreach (var (endpoint, count) in box.ReceivedFrom)
            {
                if (slots[endpoint] is var from and >= 0 && from != a)
                {
                    ref var link = ref CollectionsMarshal.GetValueRefOrAddDefault(links, ((long)from * n) + a, out _);
                    link.Received += count;
                }
            }
        }

        var ends = new List<LinkEnd>?[n];
        foreach (var (key, (sent, received)) in links)
        {
            if (Math.Max(sent, received) < (ulong)options.MinLinkPackets)
            {
                continue;
            }

            var a = (int)(key / n);
            var b = (int)(key % n);
            var senderSpoke = boxes[a] is not null;
            var receiverSpoke = boxes[b] is { } rb && (rb.Attributed || rb.Received == 0);
            if (senderSpoke && receiverSpoke)
            {
                var agree = Math.Abs((double)sent - received) <= options.LinkTolerance * Math.Max(sent, received);
                Add(ends, a, new LinkEnd(b, sent, agree, Mutual: true));
                Add(ends, b, new LinkEnd(a, received, agree, Mutual: true));
            }
            else if (receiverSpoke)
            {
                Add(ends, a, new LinkEnd(b, 0, Agree: false, Mutual: false)); // silent sender: unconfirmed, its own loss
            }
            else if (senderSpoke)
            {
                Add(ends, b, new LinkEnd(a, received, Agree: false, Mutual: false));
            }
        }

        var verdicts = new Dictionary<NodeId, PeriodVerdict>(n);
        for (var i = 0; i < n; i++)
        {
            double? forwarding = null;
            if (listed[i].IsMixnode && boxes[i] is { } box && box.Received >= (ulong)options.MinLinkPackets)
            {
                forwarding = Math.Min(1.0, (double)box.SentTotal / box.Received);
            }

            var (agreement, judged, disputed) = Agreement(ends[i]);
            var excluded = judged >= options.MinPeersToExclude && disputed > options.ExcludeShare * judged;
            verdicts[listed[i].Id] = new PeriodVerdict(forwarding, forwarding is { } f ? ForwardingScore(f, options) : null, agreement, judged, disputed, excluded);
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

    private static void Add(List<LinkEnd>?[] ends, int node, LinkEnd end) => (ends[node] ??= []).Add(end);

    private static (double? Agreement, int Judged, int Disputed) Agreement(List<LinkEnd>? ends)
    {
        if (ends is null)
        {
            return (null, 0, 0);
        }

        // Floor each link at the node's median link: a link it claims to have barely used still
        // costs it a typical link when disputed, while a peer's inflated claim never weighs on its
        // side and its own inflated claim weighs fully on it (a mean would spread it).
        var own = new double[ends.Count];
        for (var i = 0; i < own.Length; i++)
        {
            own[i] = ends[i].Own;
        }

        Array.Sort(own);
        var typical = Math.Max(1.0, own[own.Length / 2]);
        double weight = 0, agreed = 0;
        var judged = new HashSet<int>();
        var disputed = new HashSet<int>();
        foreach (var end in ends)
        {
            var w = Math.Max(end.Own, typical);
            weight += w;
            if (end.Agree)
            {
                agreed += w;
            }

            if (end.Mutual)
            {
                judged.Add(end.Peer);
                if (!end.Agree)
                {
                    disputed.Add(end.Peer);
                }
            }
        }

        return (agreed / weight, judged.Count, disputed.Count);
    }

    private readonly record struct LinkEnd(int Peer, double Own, bool Agree, bool Mutual);
}
