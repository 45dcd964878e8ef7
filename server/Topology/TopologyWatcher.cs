using System.Threading.Channels;

namespace Mixnet.Directory.Server.Topology;

/// <summary>
/// One watch stream's bounded queue. The publisher never waits on it: when the queue is full
/// the watcher is flagged and later sent a fresh snapshot instead of an unbounded backlog.
/// </summary>
internal sealed class TopologyWatcher
{
    private readonly Channel<PublishedDelta> _queue;
    private int _overflowed;

    public TopologyWatcher(int capacity)
    {
        _queue = Channel.CreateBounded<PublishedDelta>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<PublishedDelta> Reader => _queue.Reader;

    /// <summary>Queues a delta without waiting; on a full queue marks the watcher for a resync.</summary>
    public void Offer(PublishedDelta delta)
    {
        if (!_queue.Writer.TryWrite(delta))
        {
            Volatile.Write(ref _overflowed, 1);
        }
    }

    /// <summary>True once after an overflow; empties the queue, whose content the snapshot replaces.</summary>
    public bool TakeOverflow()
    {
        if (Interlocked.Exchange(ref _overflowed, 0) == 0)
        {
            return false;
        }

        while (_queue.Reader.TryRead(out _))
        {
        }

        return true;
    }
}
