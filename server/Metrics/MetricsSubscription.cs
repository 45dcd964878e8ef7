using System.Threading.Channels;
using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Server.Metrics;

/// <summary>
/// One StreamMetrics caller: a bounded queue that drops its oldest frame when the caller reads
/// too slowly, counting what it dropped. The hub never waits on it. Every queued frame holds a
/// reference (<see cref="MetricsFrame.AddReference"/>): the reader releases it once written.
/// </summary>
internal sealed class MetricsSubscription
{
    private readonly Channel<MetricsFrame> _queue;
    private long _dropped;

    public MetricsSubscription(IReadOnlySet<NodeId>? filter, int capacity)
    {
        Filter = filter;
        _queue = Channel.CreateBounded<MetricsFrame>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            dropped =>
            {
                Interlocked.Increment(ref _dropped);
                dropped.Release();
            });
    }

    /// <summary>Identities to include, or null for every node.</summary>
    public IReadOnlySet<NodeId>? Filter { get; }

    public ChannelReader<MetricsFrame> Reader => _queue.Reader;

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
        while (_queue.Reader.TryRead(out var frame))
        {
            frame.Release();
        }
    }
}
