using System.Collections.Immutable;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Quality;

/// <summary>
/// Each listed node's published reliability after each of the last <c>capacity</c> quality
/// periods (the window), for <c>GetNode</c>'s history. Read-only beside the scoring: the tracker
/// hands it what it just published. One shared ring of period times and, per node, a ring of
/// reliabilities in thousandths (two bytes a period), so 10,000 nodes over the default 60-period
/// window take about 1.2 MB (plus about 100 bytes of bookkeeping a node). Nodes not listed in a
/// whole window are forgotten.
/// </summary>
internal sealed class QualityHistory
{
    /// <summary>
    /// Upper bound on periods kept per node, whatever Window/Period say (a 24 h window of 1 s
    /// periods would be 86,400): at most 480 bytes a node, 48 MB at the 100,000-node cap.
    /// </summary>
    public const int MaxPeriods = 240;

    private const ushort NoSample = ushort.MaxValue;

    private readonly Lock _gate = new();
    private readonly DateTimeOffset[] _times;
    private readonly Dictionary<NodeId, NodeRing> _nodes = [];
    private long _periods;

    public QualityHistory(int periods)
    {
        _times = new DateTimeOffset[Math.Clamp(periods, 1, MaxPeriods)];
    }

    /// <summary>Periods kept per node.</summary>
    public int Capacity => _times.Length;

    /// <summary>Records one closed period: the published reliability of each listed node.</summary>
    public void Record(DateTimeOffset at, ImmutableDictionary<NodeId, PublishedQuality> published, IEnumerable<NodeId> listed)
    {
        lock (_gate)
        {
            var period = _periods++;
            var slot = (int)(period % _times.Length);
            _times[slot] = at;
            foreach (var id in listed)
            {
                if (!published.TryGetValue(id, out var quality))
                {
                    continue;
                }

                if (!_nodes.TryGetValue(id, out var ring))
                {
                    _nodes[id] = ring = new NodeRing(_times.Length);
                }

                ring.Values[slot] = (ushort)Math.Round(quality.Reliability * 1000);
                ring.LastPeriod = period;
            }

            List<NodeId>? forget = null;
            foreach (var (id, ring) in _nodes)
            {
                if (ring.LastPeriod == period)
                {
                    continue;
                }

                ring.Values[slot] = NoSample; // Not listed this period: no point, rather than a stale one.
                if (period - ring.LastPeriod >= _times.Length)
                {
                    (forget ??= []).Add(id);
                }
            }

            foreach (var id in forget ?? [])
            {
                _nodes.Remove(id);
            }
        }
    }

    /// <summary>The node's samples in the window, oldest first; empty when it has none.</summary>
    public List<QualitySample> Find(NodeId id)
    {
        var samples = new List<QualitySample>();
        lock (_gate)
        {
            if (!_nodes.TryGetValue(id, out var ring))
            {
                return samples;
            }

            for (var period = Math.Max(0, _periods - _times.Length); period < _periods; period++)
            {
                var slot = (int)(period % _times.Length);
                if (ring.Values[slot] != NoSample)
                {
                    samples.Add(new QualitySample { At = Timestamp.FromDateTimeOffset(_times[slot]), Reliability = ring.Values[slot] / 1000.0 });
                }
            }
        }

        return samples;
    }

    private sealed class NodeRing
    {
        public NodeRing(int capacity)
        {
            Values = new ushort[capacity];
            Array.Fill(Values, NoSample);
        }

        public ushort[] Values { get; }

        public long LastPeriod { get; set; }
    }
}
