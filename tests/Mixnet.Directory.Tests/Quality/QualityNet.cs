using Google.Protobuf.Collections;
using Mixnet.Directory.Server.Quality;
using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Tests.Quality;

/// <summary>
/// A synthetic period for <see cref="LinkJudge"/>: nodes at 10.0.0.i:1789, what really crossed
/// each link, and what each node reports (honestly unless a test edits it).
/// </summary>
internal sealed class QualityNet
{
    private readonly Dictionary<(int From, int To), ulong> _sent = [];
    private readonly Dictionary<(int From, int To), ulong> _receivedFrom = [];
    private readonly Dictionary<int, ulong> _extraReceived = [];
    private readonly HashSet<int> _silent = [];
    private readonly HashSet<int> _unattributed = [];
    private HopTable? _hops;

    public QualityNet(int count, Func<int, bool>? isMixnode = null)
    {
        for (var i = 0; i < count; i++)
        {
            var key = new byte[32];
            key[0] = 1;
            key[31] = (byte)i;
            key[30] = (byte)(i >> 8);
            NodeId.TryRead(key, out var id);
            Nodes.Add(new QualityNode(id, new EndpointKey($"10.0.{i >> 8}.{i & 255}", 1789), isMixnode?.Invoke(i) ?? true));
        }
    }

    public List<QualityNode> Nodes { get; } = [];

    /// <summary>The hop table the boxes resolve against: every node listed, at one version.</summary>
    public HopTable Hops => _hops ??= new HopTable(() => 1, () => Nodes.Select(n => n.Endpoint), TimeProvider.System, 1 << 16);

    public static string Hop(int i) => $"10.0.{i >> 8}.{i & 255}:1789";

    public NodeId Id(int i) => Nodes[i].Id;

    /// <summary>Packets that really crossed from→to; both ends report them unless edited.</summary>
    public QualityNet Traffic(int from, int to, ulong packets, double loss = 0)
    {
        _sent[(from, to)] = _sent.GetValueOrDefault((from, to)) + packets;
        _receivedFrom[(from, to)] = _receivedFrom.GetValueOrDefault((from, to)) + (ulong)Math.Round(packets * (1 - loss));
        return this;
    }

    /// <summary>Overrides what <paramref name="from"/> says it sent to <paramref name="to"/>.</summary>
    public QualityNet ClaimSent(int from, int to, ulong packets)
    {
        _sent[(from, to)] = packets;
        return this;
    }

    /// <summary>Overrides what <paramref name="to"/> says it received from <paramref name="from"/>.</summary>
    public QualityNet ClaimReceived(int from, int to, ulong packets)
    {
        _receivedFrom[(from, to)] = packets;
        return this;
    }

    /// <summary>Packets a node received from outside the judged set (clients), unattributed.</summary>
    public QualityNet External(int node, ulong packets)
    {
        _extraReceived[node] = _extraReceived.GetValueOrDefault(node) + packets;
        return this;
    }

    public QualityNet Silent(int node)
    {
        _silent.Add(node);
        return this;
    }

    /// <summary>The node reports totals only, as an SDK from before <c>received_from</c> did.</summary>
    public QualityNet Unattributed(int node)
    {
        _unattributed.Add(node);
        return this;
    }

    public Dictionary<NodeId, HopCountsBox> Reports()
    {
        var reports = new Dictionary<NodeId, HopCountsBox>();
        for (var i = 0; i < Nodes.Count; i++)
        {
            if (_silent.Contains(i))
            {
                continue;
            }

            var sent = new MapField<string, ulong>();
            var from = new MapField<string, ulong>();
            ulong received = _extraReceived.GetValueOrDefault(i);
            foreach (var ((a, b), count) in _sent)
            {
                if (a == i)
                {
                    sent[Hop(b)] = count;
                }
            }

            foreach (var ((a, b), count) in _receivedFrom)
            {
                if (b == i)
                {
                    received += count;
                    if (!_unattributed.Contains(i))
                    {
                        from[Hop(a)] = count;
                    }
                }
            }

            var box = new HopCountsBox(Hops);
            box.TryAdd(received, sent, from, 4096);
            reports[Id(i)] = box;
        }

        return reports;
    }

    public Dictionary<NodeId, PeriodVerdict> Judge(QualityOptions? options = null) =>
        LinkJudge.Judge(Nodes, Reports(), Hops, options ?? new QualityOptions());
}
