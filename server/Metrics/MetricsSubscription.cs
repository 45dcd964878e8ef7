using System.Threading.Channels;
using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Server.Metrics;

/// <summary>
/// One StreamMetrics caller: a bounded queue that drops its oldest frame when the caller reads
/// too slowly, counting what it dropped. The hub never waits on it. Every queued frame holds a
/// reference (<see cref="MetricsFrame.AddReference"/>): the reader releases it once written.
/// Replayed totals-only frames (a few dozen bytes each) are read first, ahead of the queue, so
/// asking for five minutes of history does not lengthen the queue of full frames.
/// </summary>
internal sealed class MetricsSubscription
{
    private readonly Channel<MetricsFrame> _queue;
    private readonly ReplayFirstReader _reader;
    private long _dropped;

    public MetricsSubscription(IReadOnlySet<NodeId>? filter, int capacity, MetricsFrame[]? totalsOnly = null)
    {
        Filter = filter;
        _queue = Channel.CreateBounded<MetricsFrame>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            dropped =>
            {
                Interlocked.Increment(ref _dropped);
                dropped.Release();
            });
        foreach (var frame in totalsOnly ?? [])
        {
            frame.AddReference();
        }

        _reader = new ReplayFirstReader(totalsOnly ?? [], _queue.Reader);
    }

    /// <summary>Identities to include, or null for every node.</summary>
    public IReadOnlySet<NodeId>? Filter { get; }

    /// <summary>The replayed totals-only frames, then the queue. One reader at a time.</summary>
    public ChannelReader<MetricsFrame> Reader => _reader;

    public ulong DroppedFrames => (ulong)Interlocked.Read(ref _dropped);

    /// <summary>Queues the frame with a reference of its own, released once written, dropped or abandoned.</summary>
    public void Offer(MetricsFrame frame)
    {
        frame.AddReference();
        if (!_queue.Writer.TryWrite(frame))
        {
            frame.Release();
        }
    }

    /// <summary>Ends the queue and releases the frames still in it; called once the reader has stopped.</summary>
    public void Complete()
    {
        _queue.Writer.TryComplete();
        while (_reader.TryRead(out var frame))
        {
            frame.Release();
        }
    }

    /// <summary>Reads the replayed totals-only frames in order, then the bounded queue.</summary>
    private sealed class ReplayFirstReader(MetricsFrame[] first, ChannelReader<MetricsFrame> queue) : ChannelReader<MetricsFrame>
    {
        private int _next;

        public override Task Completion => queue.Completion;

        public override bool TryRead(out MetricsFrame item)
        {
            if (_next < first.Length)
            {
                item = first[_next];
                first[_next++] = null!; // read: the reader owns its reference now
                return true;
            }

            return queue.TryRead(out item!);
        }

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
            _next < first.Length ? ValueTask.FromResult(true) : queue.WaitToReadAsync(cancellationToken);
    }
}
