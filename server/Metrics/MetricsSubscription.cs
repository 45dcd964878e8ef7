using System.Threading.Channels;
using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Server.Metrics;

/// <summary>
/// One StreamMetrics caller: a bounded queue that drops its oldest frame when the caller reads
/// too slowly, counting what it dropped. The hub never waits on it.
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
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>Identities to include, or null for every node.</summary>
    public IReadOnlySet<NodeId>? Filter { get; }

    public ChannelReader<MetricsFrame> Reader => _queue.Reader;

    public ulong DroppedFrames => (ulong)Interlocked.Read(ref _dropped);

    public void Offer(MetricsFrame frame) => _queue.Writer.TryWrite(frame);

    public void Complete() => _queue.Writer.TryComplete();
}
