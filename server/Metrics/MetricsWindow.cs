using System.Collections.Concurrent;
using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Server.Metrics;

/// <summary>
/// The counts of the window being filled. Reports add with interlocked operations; closing the
/// window seals it and waits out the few reports already inside, so no count is lost or
/// counted twice across the boundary. The hub alternates two windows and reuses each after it
/// is sealed: a node's counter is made once and zeroed every window, not allocated anew, so the
/// per-node state does not become a window's worth of garbage that outlives gen0 every second.
/// </summary>
internal sealed class MetricsWindow
{
    /// <summary>Seals of this window without a report after which a node's counter is let go (a node that left).</summary>
    private const int MaxIdleSeals = 64;

    private readonly ConcurrentDictionary<NodeId, Counter> _nodes = new();
    private int _writers;
    private int _sealed;
    private long _sent;
    private long _received;
    private int _reporters;

    /// <summary>Adds a report; false when the window was sealed meanwhile (the caller retries on the next one).</summary>
    public bool TryAdd(NodeId id, ulong sent, ulong received)
    {
        Interlocked.Increment(ref _writers);
        try
        {
            if (Volatile.Read(ref _sealed) != 0)
            {
                return false;
            }

            var counter = _nodes.GetOrAdd(id, static _ => new Counter());
            Interlocked.Add(ref counter.Sent, (long)sent);
            Interlocked.Add(ref counter.Received, (long)received);
            if (Interlocked.Exchange(ref counter.Reported, 1) == 0)
            {
                Interlocked.Increment(ref _reporters);
            }

            Interlocked.Add(ref _sent, (long)sent);
            Interlocked.Add(ref _received, (long)received);
            return true;
        }
        finally
        {
            Interlocked.Decrement(ref _writers);
        }
    }

    /// <summary>Seals the window and returns its totals once every report inside has finished.</summary>
    public (NodeTraffic[] Nodes, ulong Sent, ulong Received) Seal()
    {
        var (buffer, count, sent, received) = Seal(static n => new NodeTraffic[n]);
        return (buffer.Length == count ? buffer : buffer[..count], sent, received);
    }

    /// <summary>
    /// Seals the window and writes the nodes that reported, ordered by identity, into an array
    /// from <paramref name="rent"/>; their counters are zeroed for the window's next use.
    /// </summary>
    public (NodeTraffic[] Buffer, int Count, ulong Sent, ulong Received) Seal(Func<int, NodeTraffic[]> rent)
    {
        Volatile.Write(ref _sealed, 1);
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _writers) != 0)
        {
            spinner.SpinOnce();
        }

        // Exactly the nodes that reported: counters kept for nodes that went quiet are not in the frame.
        var nodes = rent(Volatile.Read(ref _reporters));
        var i = 0;
        foreach (var (id, counter) in _nodes)
        {
            if (counter.Reported == 0)
            {
                if (++counter.IdleSeals > MaxIdleSeals)
                {
                    _nodes.TryRemove(id, out _);
                }

                continue;
            }

            if (i == nodes.Length)
            {
                // Not expected (every first report of a window is counted), but never lose a node to it.
                Array.Resize(ref nodes, nodes.Length + 16);
            }

            nodes[i++] = new NodeTraffic(id, (ulong)counter.Sent, (ulong)counter.Received);
            counter.Sent = 0;
            counter.Received = 0;
            counter.Reported = 0;
            counter.IdleSeals = 0;
        }

        nodes.AsSpan(0, i).Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return (nodes, i, (ulong)Interlocked.Read(ref _sent), (ulong)Interlocked.Read(ref _received));
    }

    /// <summary>
    /// Opens a sealed window again, empty. The totals are zeroed before the window is unsealed,
    /// so a report that sees it open adds to a clean window.
    /// </summary>
    public void Reopen()
    {
        Interlocked.Exchange(ref _sent, 0);
        Interlocked.Exchange(ref _received, 0);
        Interlocked.Exchange(ref _reporters, 0);
        Volatile.Write(ref _sealed, 0);
    }

    private sealed class Counter
    {
        public long Sent;
        public long Received;
        public int Reported;
        public int IdleSeals;
    }
}
