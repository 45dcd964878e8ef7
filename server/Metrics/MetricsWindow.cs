using System.Collections.Concurrent;
using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Server.Metrics;

/// <summary>
/// The counts of the window being filled. Reports add with interlocked operations; closing the
/// window seals it and waits out the few reports already inside, so no count is lost or
/// counted twice across the boundary.
/// </summary>
internal sealed class MetricsWindow
{
    private readonly ConcurrentDictionary<NodeId, Counter> _nodes = new();
    private int _writers;
    private int _sealed;
    private long _sent;
    private long _received;

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
        Volatile.Write(ref _sealed, 1);
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _writers) != 0)
        {
            spinner.SpinOnce();
        }

        var nodes = new NodeTraffic[_nodes.Count];
        var i = 0;
        foreach (var (id, counter) in _nodes)
        {
            nodes[i++] = new NodeTraffic(id, (ulong)counter.Sent, (ulong)counter.Received);
        }

        Array.Sort(nodes, static (a, b) => a.Id.CompareTo(b.Id));
        return (nodes, (ulong)Interlocked.Read(ref _sent), (ulong)Interlocked.Read(ref _received));
    }

    private sealed class Counter
    {
        public long Sent;
        public long Received;
    }
}
