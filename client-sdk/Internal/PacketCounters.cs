using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Mixnet.Directory.Client.Internal;

/// <summary>
/// Lock-free packet counters. Each next hop has one box that lives for the agent's life, so a
/// report takes counts with an atomic exchange per box and no increment can land in a box that
/// was already read and thrown away.
/// </summary>
internal sealed class PacketCounters
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _sent = new(StringComparer.Ordinal);
    private long _received;

    public long Received => Interlocked.Read(ref _received);

    public void RecordSent(string nextHop)
    {
        var box = _sent.GetOrAdd(nextHop, static _ => new StrongBox<long>());
        Interlocked.Increment(ref box.Value);
    }

    public void RecordReceived() => Interlocked.Increment(ref _received);

    /// <summary>True when a packet was counted since the last take (a racing increment may be missed; the next take has it).</summary>
    public bool HasCounts => Interlocked.Read(ref _received) != 0 || _sent.Any(static pair => Interlocked.Read(ref pair.Value.Value) != 0);

    public long SentTo(string nextHop) => _sent.TryGetValue(nextHop, out var box) ? Interlocked.Read(ref box.Value) : 0;

    /// <summary>Takes every count since the last take, leaving zeros.</summary>
    public PacketCounts Take()
    {
        var sent = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (hop, box) in _sent)
        {
            var count = Interlocked.Exchange(ref box.Value, 0);
            if (count != 0)
            {
                sent[hop] = count;
            }
        }

        return new PacketCounts(sent, Interlocked.Exchange(ref _received, 0));
    }

    /// <summary>Adds back counts whose report failed, so the next report carries them.</summary>
    public void Restore(PacketCounts counts)
    {
        foreach (var (hop, count) in counts.Sent)
        {
            var box = _sent.GetOrAdd(hop, static _ => new StrongBox<long>());
            Interlocked.Add(ref box.Value, count);
        }

        Interlocked.Add(ref _received, counts.Received);
    }
}
