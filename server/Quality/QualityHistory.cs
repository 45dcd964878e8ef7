using System.Collections.Immutable;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Quality;

/// <summary>
/// Each listed node's published reliability after each of the last <c>capacity</c> quality
/// periods (the window), for <c>GetNode</c>'s history. Read-only beside the scoring: the tracker
/// hands it what it just published. One shared ring of period times and, per node, a row of
/// reliabilities in thousandths (two bytes a period). Rows live side by side in shared chunks of
/// <see cref="RowsPerChunk"/> rows, not in an object and an array per node: 10,000 nodes over the
/// default 60-period window take about 1.2 MB of rows plus about 60 bytes of index a node
/// (a ring object and its own array cost about 56 bytes more a node). Nodes not listed in a whole
/// window are forgotten and their rows reused.
/// </summary>
internal sealed class QualityHistory
{
    /// <summary>
    /// Upper bound on periods kept per node, whatever Window/Period say (a 24 h window of 1 s
    /// periods would be 86,400): at most 480 bytes a node, 48 MB at the 100,000-node cap.
    /// </summary>
    public const int MaxPeriods = 240;

    /// <summary>Rows per chunk: the rows grow a chunk at a time, so at most one chunk (256 rows) is allocated but unused.</summary>
    public const int RowsPerChunk = 256;

    private const ushort NoSample = ushort.MaxValue;

    private readonly Lock _gate = new();
    private readonly DateTimeOffset[] _times;
    private readonly Dictionary<NodeId, int> _rows = [];
    private readonly List<ushort[]> _chunks = [];
    private readonly Stack<int> _freeRows = new();
    private long[] _lastPeriod = [];
    private int _rowsUsed;
    private long _periods;

    public QualityHistory(int periods)
    {
        _times = new DateTimeOffset[Math.Clamp(periods, 1, MaxPeriods)];
    }

    /// <summary>Periods kept per node.</summary>
    public int Capacity => _times.Length;

    /// <summary>Nodes with a history (for tests and diagnostics).</summary>
    public int NodeCount
    {
        get
        {
            lock (_gate)
            {
                return _rows.Count;
            }
        }
    }

    /// <summary>Rows allocated, used or free: at most the most nodes ever held at once, rounded up to a chunk.</summary>
    public int RowsAllocated
    {
        get
        {
            lock (_gate)
            {
                return _chunks.Count * RowsPerChunk;
            }
        }
    }

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

                if (!_rows.TryGetValue(id, out var row))
                {
                    _rows[id] = row = TakeRow();
                }

                Row(row)[slot] = (ushort)Math.Round(quality.Reliability * 1000);
                _lastPeriod[row] = period;
            }

            List<NodeId>? forget = null;
            foreach (var (id, row) in _rows)
            {
                if (_lastPeriod[row] == period)
                {
                    continue;
                }

                Row(row)[slot] = NoSample; // Not listed this period: no point, rather than a stale one.
                if (period - _lastPeriod[row] >= _times.Length)
                {
                    (forget ??= []).Add(id);
                }
            }

            foreach (var id in forget ?? [])
            {
                _rows.Remove(id, out var row);
                _freeRows.Push(row);
            }
        }
    }

    /// <summary>The node's samples in the window, oldest first; empty when it has none.</summary>
    public List<QualitySample> Find(NodeId id)
    {
        var samples = new List<QualitySample>();
        lock (_gate)
        {
            if (!_rows.TryGetValue(id, out var row))
            {
                return samples;
            }

            var values = Row(row);
            for (var period = Math.Max(0, _periods - _times.Length); period < _periods; period++)
            {
                var slot = (int)(period % _times.Length);
                if (values[slot] != NoSample)
                {
                    samples.Add(new QualitySample { At = Timestamp.FromDateTimeOffset(_times[slot]), Reliability = values[slot] / 1000.0 });
                }
            }
        }

        return samples;
    }

    private Span<ushort> Row(int row) => _chunks[row / RowsPerChunk].AsSpan(row % RowsPerChunk * _times.Length, _times.Length);

    /// <summary>A row with no samples: a forgotten node's, or a new one (a new chunk when all are taken).</summary>
    private int TakeRow()
    {
        if (!_freeRows.TryPop(out var row))
        {
            row = _rowsUsed++;
            if (row / RowsPerChunk == _chunks.Count)
            {
                _chunks.Add(new ushort[RowsPerChunk * _times.Length]);
                if (_lastPeriod.Length < _chunks.Count * RowsPerChunk)
                {
                    Array.Resize(ref _lastPeriod, Math.Max(_chunks.Count * RowsPerChunk, _lastPeriod.Length * 2));
                }
            }
        }

        Row(row).Fill(NoSample);
        return row;
    }
}
