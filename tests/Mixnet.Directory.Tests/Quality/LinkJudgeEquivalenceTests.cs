using System.Runtime.InteropServices;
using Mixnet.Directory.Server.Quality;
using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Tests.Quality;

/// <summary>
/// <see cref="LinkJudge"/> against the map-based judge it replaced (kept here as the reference,
/// verbatim but for names), on random periods with lossy links, false claims, silent and unattributed nodes
/// and self-links: every verdict must be the same.
/// </summary>
public sealed class LinkJudgeEquivalenceTests
{
    [TestCase(1, 12)]
    [TestCase(2, 40)]
    [TestCase(3, 90)]
    [TestCase(4, 7)]
    public void Judge_RandomPeriod_SameVerdictsAsTheMapBasedJudge(int seed, int nodes)
    {
        var random = new Random(seed);
        var net = new QualityNet(nodes, i => i % 7 != 0);
        for (var a = 0; a < nodes; a++)
        {
            for (var b = 0; b < nodes; b++)
            {
                if (random.NextDouble() < 0.3)
                {
                    net.Traffic(a, b, (ulong)random.Next(0, 3000), loss: random.NextDouble() < 0.8 ? 0.01 : 0.3);
                }
            }
        }

        for (var k = 0; k < nodes / 3; k++)
        {
            var a = random.Next(nodes);
            var b = random.Next(nodes);
            _ = random.Next(3) switch
            {
                0 => net.ClaimSent(a, b, (ulong)random.Next(0, 5000)),
                1 => net.ClaimReceived(a, b, (ulong)random.Next(0, 5000)),
                _ => net.External(a, (ulong)random.Next(0, 2000)),
            };
        }

        net.Silent(random.Next(nodes)).Unattributed(random.Next(nodes));
        var reports = net.Reports();
        var options = new QualityOptions { MinLinkPackets = random.Next(0, 100) };

        var judged = LinkJudge.Judge(net.Nodes, reports, net.Hops, options);
        var reference = Reference(net.Nodes, reports, net.Hops, options);

        Assert.That(judged, Is.EquivalentTo(reference));
    }

    [Test]
    public void Median_SelectsWhatASortWouldPick()
    {
        var random = new Random(5);
        foreach (var length in new[] { 1, 2, 3, 15, 16, 17, 100, 1000, 4096 })
        {
            foreach (var shape in new Func<int, double>[] { _ => random.Next(0, 1_000_000), i => i, i => -i, _ => 1000, i => i % 3, i => i % 2 == 0 ? i : -i })
            {
                var values = Enumerable.Range(0, length).Select(shape).ToArray();
                var sorted = values.Order().ToArray();
                var k = length / 2;

                Assert.That(Median.Select(values, k), Is.EqualTo(sorted[k]), $"length {length}");
            }
        }
    }

    private static Dictionary<NodeId, PeriodVerdict> Reference(
        List<QualityNode> listed,
        Dictionary<NodeId, HopCountsBox> reports,
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

        var ends = new List<OldEnd>?[n];
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
                Add(ends, a, new OldEnd(b, sent, agree, Mutual: true));
                Add(ends, b, new OldEnd(a, received, agree, Mutual: true));
            }
            else if (receiverSpoke)
            {
                Add(ends, a, new OldEnd(b, 0, Agree: false, Mutual: false)); // silent sender: unconfirmed, its own loss
            }
            else if (senderSpoke)
            {
                Add(ends, b, new OldEnd(a, received, Agree: false, Mutual: false));
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
            verdicts[listed[i].Id] = new PeriodVerdict(forwarding, forwarding is { } f ? LinkJudge.ForwardingScore(f, options) : null, agreement, judged, disputed, excluded);
        }

        return verdicts;
    }

    private static void Add(List<OldEnd>?[] ends, int node, OldEnd end) => (ends[node] ??= []).Add(end);


    private static (double? Agreement, int Judged, int Disputed) Agreement(List<OldEnd>? ends)
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

    private readonly record struct OldEnd(int Peer, double Own, bool Agree, bool Mutual);
}
