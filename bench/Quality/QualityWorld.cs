using Mixnet.Directory.Bench.Nodes;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Bench.Quality;

/// <summary>
/// The network the quality scenario simulates: gateways (layer 0) feed layer 1, layers 1→2→3 mix,
/// layer 3 delivers to gateways; each node has <c>links</c> fixed next hops in the next layer.
/// Droppers drop a share of what they receive (and report truthfully what they send, so they
/// admit it), every link loses <c>linkLoss</c>, and liars frame honest peers: the shared victims
/// and one other honest peer in ten: they deny receipts from them and claim twice what they sent
/// them. One <see cref="Period"/> turns this into every node's report.
/// </summary>
internal sealed class QualityWorld
{
    private readonly Random _random = new(13);
    private readonly BenchNode[] _nodes;
    private readonly string[] _hops;
    private readonly int[] _layer;
    private readonly int[][] _next;
    private readonly double _dropRate;
    private readonly double _linkLoss;
    private readonly HashSet<(int Liar, int Victim)> _framed = [];

    public QualityWorld(BenchNode[] nodes, int links, double dropperShare, double dropRate, double liarShare, double linkLoss, int sharedVictims)
    {
        _nodes = nodes;
        _dropRate = dropRate;
        _linkLoss = linkLoss;
        var n = nodes.Length;
        _hops = new string[n];
        _layer = new int[n];
        IsDropper = new bool[n];
        IsLiar = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var descriptor = NodeDescriptor.Parser.ParseFrom(nodes[i].Register.Descriptor_);
            _hops[i] = $"{descriptor.Host}:{descriptor.MixPort}";
            _layer[i] = (int)descriptor.Layer;
        }

        var byLayer = Enumerable.Range(0, 4).Select(l => Enumerable.Range(0, n).Where(i => _layer[i] == l).ToArray()).ToArray();
        var mixnodes = Enumerable.Range(0, n).Where(i => _layer[i] > 0).OrderBy(_ => _random.Next()).ToArray();
        var droppers = (int)Math.Round(dropperShare * n);
        var liars = (int)Math.Round(liarShare * n);
        foreach (var i in mixnodes.Take(droppers))
        {
            IsDropper[i] = true;
        }

        foreach (var i in mixnodes.Skip(droppers).Take(liars))
        {
            IsLiar[i] = true;
        }

        _next = new int[n][];
        for (var i = 0; i < n; i++)
        {
            var layer = byLayer[(_layer[i] + 1) % 4];
            _next[i] = [.. layer.OrderBy(_ => _random.Next()).Take(Math.Min(links, layer.Length))];
        }

        var honest = Enumerable.Range(0, n).Where(IsHonest).ToArray();
        var victims = honest.OrderBy(_ => _random.Next()).Take(sharedVictims).ToHashSet();
        for (var a = 0; a < n; a++)
        {
            foreach (var b in _next[a])
            {
                if (IsLiar[a] && IsHonest(b) && (victims.Contains(b) || _random.Next(10) == 0))
                {
                    _framed.Add((a, b));
                }

                if (IsLiar[b] && IsHonest(a) && (victims.Contains(a) || _random.Next(10) == 0))
                {
                    _framed.Add((b, a));
                }
            }
        }
    }

    public bool[] IsDropper { get; }

    public bool[] IsLiar { get; }

    public int FramedLinks => _framed.Count;

    public bool IsHonest(int i) => !IsDropper[i] && !IsLiar[i];

    /// <summary>One period's reports: each gateway sends <paramref name="perLink"/> packets on each of its links; everything else follows.</summary>
    public ReportMetricsRequest[] Period(ulong perLink)
    {
        var n = _nodes.Length;
        var requests = new ReportMetricsRequest[n];
        for (var i = 0; i < n; i++)
        {
            requests[i] = new ReportMetricsRequest { IdentityKey = _nodes[i].IdentityKey, LeaseToken = _nodes[i].LeaseToken };
        }

        var inbound = new double[n];
        for (var layer = 0; layer < 4; layer++)
        {
            for (var a = 0; a < n; a++)
            {
                if (_layer[a] != layer || _next[a].Length == 0)
                {
                    continue;
                }

                var forwarded = layer == 0 ? perLink * (double)_next[a].Length : inbound[a] * (IsDropper[a] ? 1 - _dropRate : 1);
                var each = forwarded / _next[a].Length;
                foreach (var b in _next[a])
                {
                    var sent = (ulong)Math.Round(each);
                    var arrived = Arrived(sent);
                    if (_layer[b] != 0)
                    {
                        inbound[b] += arrived; // gateways terminate what layer 3 delivers
                    }

                    var liarSends = _framed.Contains((a, b));
                    var liarReceives = _framed.Contains((b, a));
                    requests[a].Sent[_hops[b]] = liarSends ? sent * 2 : sent;
                    requests[b].Received += arrived;
                    if (!liarReceives)
                    {
                        requests[b].ReceivedFrom[_hops[a]] = arrived; // a liar counts it as from nowhere
                    }
                }
            }
        }

        return requests;
    }

    /// <summary>What arrives of <paramref name="sent"/> over a link losing <c>linkLoss</c> (normal approximation of the binomial).</summary>
    private ulong Arrived(ulong sent)
    {
        var mean = sent * _linkLoss;
        var sd = Math.Sqrt(sent * _linkLoss * (1 - _linkLoss));
        var gauss = Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
        var lost = Math.Clamp(Math.Round(mean + (sd * gauss)), 0, sent);
        return sent - (ulong)lost;
    }
}
