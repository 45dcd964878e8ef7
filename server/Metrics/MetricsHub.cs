using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Hosting;
using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Server.Metrics;

/// <summary>
/// Live traffic: reports are added to the open window without locks; every window close makes
/// one immutable frame, kept for replay and offered to every subscriber's bounded queue.
/// Ingest never waits on a subscriber. Windows and frame arrays are reused, not reallocated:
/// the per-node counters of two alternating windows, and the arrays of frames the replay and
/// every subscriber have let go (<see cref="FrameBufferPool"/>).
/// The replay keeps the network-wide totals of the last <see cref="MaxReplayFrames"/> windows, but
/// per-node detail only for the newest <see cref="DirectoryOptions.MetricsReplayDetailFrames"/>
/// (fewer when they would hold more than <see cref="DirectoryOptions.MetricsReplayBytes"/>): an
/// older frame is replaced by its totals-only form, so the replay costs a few frames of per-node
/// data, not five minutes of it.
/// </summary>
internal sealed class MetricsHub
{
    /// <summary>Most frames a new subscriber can ask to have replayed; all but the newest few carry totals only.</summary>
    public const int MaxReplayFrames = 300;

    /// <summary>Frames a subscriber may fall behind, beyond its replay, before its oldest is dropped.</summary>
    public const int QueueSlack = 16;

    private readonly Lock _gate = new();
    private readonly MetricsFrame?[] _ring = new MetricsFrame?[MaxReplayFrames];
    private readonly DirectoryOptions _options;
    private int _ringStart;
    private int _ringCount;
    private long _ringBytes;
    private int _detailCount; // the newest frames of the ring that still carry their nodes
    private long _detailBytes;
    private readonly Lock _closing = new();
    private readonly FrameBufferPool _buffers = new();
    private readonly System.Buffers.ArrayBufferWriter<byte> _scratch = new();
    private MetricsSubscription[] _subscribers = [];
    private MetricsWindow _current = new();
    private MetricsWindow _spare = new();
    private long _reports;
    private long _packetsSent;
    private long _packetsReceived;
    private long _droppedByGone;

    public MetricsHub(IOptions<DirectoryOptions> options)
    {
        _options = options.Value;
    }

    /// <summary>Raised after a subscriber was added or removed.</summary>
    public event Action? SubscribersChanged;

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    public long ReportCount => Interlocked.Read(ref _reports);

    /// <summary>Packets sent, network-wide, in every report accepted since start.</summary>
    public long PacketsSent => Interlocked.Read(ref _packetsSent);

    /// <summary>Packets received, network-wide, in every report accepted since start.</summary>
    public long PacketsReceived => Interlocked.Read(ref _packetsReceived);

    /// <summary>Frames dropped for slow subscribers since start, connected or gone.</summary>
    public ulong DroppedFrames => (ulong)Interlocked.Read(ref _droppedByGone)
        + Volatile.Read(ref _subscribers).Aggregate(0UL, (sum, s) => sum + s.DroppedFrames);

    public void Report(NodeId id, ulong sent, ulong received)
    {
        Interlocked.Increment(ref _reports);

        // A long overflows only after millions of reports at MetricsReportLimits.MaxCount, far beyond real traffic.
        Interlocked.Add(ref _packetsSent, (long)sent);
        Interlocked.Add(ref _packetsReceived, (long)received);
        while (!Volatile.Read(ref _current).TryAdd(id, sent, received))
        {
            // The window closed between reading it and adding: the next one takes the report.
        }
    }

    /// <summary>Closes the open window, keeps its frame for replay and offers it to every subscriber.</summary>
    public MetricsFrame CloseWindow(DateTimeOffset windowEnd, uint liveNodes)
    {
        MetricsFrame frame;
        lock (_closing)
        {
            // Two windows take turns: the one just sealed is zeroed and waits as the next.
            var closed = Interlocked.Exchange(ref _current, _spare);
            var (nodes, count, sent, received) = closed.Seal(_buffers.RentNodes);
            closed.Reopen();
            _spare = closed;

            // Serialized here, once, on the ticker: subscribers only ever copy these bytes.
            frame = new MetricsFrame(windowEnd, _options.MetricsWindow, nodes, count, sent, received, liveNodes, _buffers).Seal(_scratch);
        }

        // The frame's first reference is the replay's; each subscriber queue takes its own.
        lock (_gate)
        {
            if (_ringCount == _ring.Length)
            {
                DropOldestReplayFrame();
            }

            _ring[(_ringStart + _ringCount) % _ring.Length] = frame;
            _ringCount++;
            _ringBytes += frame.RetainedBytes;
            _detailCount++;
            _detailBytes += frame.RetainedBytes;

            // The newest frame always keeps its nodes; older ones keep only their totals once the
            // detail holds too many frames or too much memory.
            while (_detailCount > 1 && (_detailCount > _options.MetricsReplayDetailFrames || _detailBytes > _options.MetricsReplayBytes))
            {
                DropOldestDetail();
            }

            foreach (var subscriber in _subscribers)
            {
                subscriber.Offer(frame);
            }
        }

        return frame;
    }

    /// <summary>Bytes the replay holds now (<see cref="MetricsFrame.RetainedBytes"/> of its frames): the detailed frames, at most <see cref="DirectoryOptions.MetricsReplayBytes"/> beyond the newest, and the small totals-only ones.</summary>
    public long ReplayBytes
    {
        get
        {
            lock (_gate)
            {
                return _ringBytes;
            }
        }
    }

    /// <summary>Frames kept for replay now with their per-node counts (the newest ones).</summary>
    public int ReplayDetailFrameCount
    {
        get
        {
            lock (_gate)
            {
                return _detailCount;
            }
        }
    }

    /// <summary>Frames kept for replay now.</summary>
    public int ReplayFrameCount
    {
        get
        {
            lock (_gate)
            {
                return _ringCount;
            }
        }
    }

    /// <summary>Adds a subscriber whose queue starts with up to <paramref name="replayFrames"/> recent frames.</summary>
    public MetricsSubscription Subscribe(IReadOnlySet<NodeId>? filter, int replayFrames)
    {
        replayFrames = Math.Clamp(replayFrames, 0, MaxReplayFrames);
        MetricsSubscription subscription;
        lock (_gate)
        {
            // The queue holds what is replayed plus the slack: asking for more history than the
            // byte bound kept cannot buy a stalled subscriber a longer queue of large frames.
            // Totals-only frames are small and replayed ahead of the queue; only the detailed
            // frames count against it.
            var replay = Math.Min(replayFrames, _ringCount);
            var detailed = Math.Min(replay, _detailCount);
            var totalsOnly = new MetricsFrame[replay - detailed];
            for (var i = 0; i < totalsOnly.Length; i++)
            {
                totalsOnly[i] = _ring[(_ringStart + _ringCount - replay + i) % _ring.Length]!;
            }

            subscription = new MetricsSubscription(filter, detailed + QueueSlack, totalsOnly);
            for (var i = _ringCount - detailed; i < _ringCount; i++)
            {
                subscription.Offer(_ring[(_ringStart + i) % _ring.Length]!);
            }

            _subscribers = [.. _subscribers, subscription];
        }

        SubscribersChanged?.Invoke();
        return subscription;
    }

    public void Unsubscribe(MetricsSubscription subscription)
    {
        lock (_gate)
        {
            _subscribers = Array.FindAll(_subscribers, s => !ReferenceEquals(s, subscription));
        }

        subscription.Complete();
        Interlocked.Add(ref _droppedByGone, (long)subscription.DroppedFrames);
        SubscribersChanged?.Invoke();
    }

    /// <summary>
    /// How long a node should wait before its next report: one window while the network is
    /// small, growing with the live node count so the directory takes at most
    /// <see cref="DirectoryOptions.MaxMetricsReportsPerSecond"/> reports a second:
    /// <c>window × max(1, ceil(liveNodes / (maxRate × window)))</c>.
    /// </summary>
    public TimeSpan NextReportIn(int liveNodes)
    {
        var window = _options.MetricsWindow;
        var perWindow = Math.Max(1.0, _options.MaxMetricsReportsPerSecond * window.TotalSeconds);
        var windows = Math.Max(1L, (long)Math.Ceiling(liveNodes / perWindow));
        return TimeSpan.FromTicks(window.Ticks * windows);
    }

    private void DropOldestReplayFrame()
    {
        var oldest = _ring[_ringStart]!;
        _ringBytes -= oldest.RetainedBytes;
        if (_detailCount == _ringCount)
        {
            _detailCount--;
            _detailBytes -= oldest.RetainedBytes;
        }

        oldest.Release();
        _ring[_ringStart] = null;
        _ringStart = (_ringStart + 1) % _ring.Length;
        _ringCount--;
    }

    /// <summary>Replaces the oldest detailed frame by its totals; its arrays go back to the pool once no queue holds it.</summary>
    private void DropOldestDetail()
    {
        var slot = (_ringStart + _ringCount - _detailCount) % _ring.Length;
        var detailed = _ring[slot]!;
        var totals = detailed.TotalsOnly();
        _ring[slot] = totals;
        _ringBytes += totals.RetainedBytes - detailed.RetainedBytes;
        _detailBytes -= detailed.RetainedBytes;
        _detailCount--;
        detailed.Release();
    }
}
