using System.Collections.Concurrent;

namespace Mixnet.Directory.Client.Internal;

/// <summary>
/// Lock-free packet counters, one box per next hop and one per previous hop. A box that stayed at zero for
/// <see cref="IdleTakesBeforePrune"/> takes is retired and dropped, so a long-running gateway does
/// not keep a box for every next hop it ever sent to. Retiring swaps a zero for a sentinel: an
/// increment that lands on a retired box sees the sentinel and counts again in a fresh box, so no
/// count is lost. Only one caller takes at a time (the metrics loop, then the last report on stop).
/// </summary>
internal sealed class PacketCounters
{
    /// <summary>Takes (reports) in a row without a packet after which a next hop's box is dropped.</summary>
    public const int IdleTakesBeforePrune = 3;

    // Far below any count: a box holding this (plus a few racing increments) is retired.
    private const long Retired = long.MinValue / 2;

    private readonly ConcurrentDictionary<string, HopCounter> _sent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HopCounter> _receivedFrom = new(StringComparer.Ordinal);
    private long _received;

    public long Received => Interlocked.Read(ref _received);

    /// <summary>How many next hops have a box now, for tests and diagnostics.</summary>
    public int TrackedHops => _sent.Count + _receivedFrom.Count;

    public void RecordSent(string nextHop) => Add(_sent, nextHop, 1);

    public void RecordReceived() => Interlocked.Increment(ref _received);

    /// <summary>Counts a packet received from a known previous hop: in the total and in that hop's box.</summary>
    public void RecordReceived(string fromHop)
    {
        Add(_receivedFrom, fromHop, 1);
        Interlocked.Increment(ref _received);
    }

    /// <summary>True when a packet was counted since the last take (a racing increment may be missed; the next take has it).</summary>
    public bool HasCounts => Interlocked.Read(ref _received) != 0 || _sent.Any(static pair => Interlocked.Read(ref pair.Value.Count) > 0);

    /// <summary>Packets counted from <paramref name="fromHop"/> since the last take.</summary>
    public long ReceivedFrom(string fromHop) => _receivedFrom.TryGetValue(fromHop, out var box) ? Math.Max(0, Interlocked.Read(ref box.Count)) : 0;

    public long SentTo(string nextHop) => _sent.TryGetValue(nextHop, out var box) ? Math.Max(0, Interlocked.Read(ref box.Count)) : 0;

    /// <summary>Takes every count since the last take, leaving zeros, and drops boxes idle for too long.</summary>
    public PacketCounts Take()
    {
        var sent = Take(_sent);
        var receivedFrom = Take(_receivedFrom);
        return new PacketCounts(sent, Interlocked.Exchange(ref _received, 0), receivedFrom);
    }

    private static Dictionary<string, long> Take(ConcurrentDictionary<string, HopCounter> boxes)
    {
        var taken = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var pair in boxes)
        {
            var box = pair.Value;
            if (Interlocked.Read(ref box.Count) < 0)
            {
                continue; // Retired: its recorders are moving to a fresh box.
            }

            var count = Interlocked.Exchange(ref box.Count, 0);

            if (count != 0)
            {
                taken[pair.Key] = count;
                box.IdleTakes = 0;
            }
            else if (++box.IdleTakes >= IdleTakesBeforePrune && Interlocked.CompareExchange(ref box.Count, Retired, 0) == 0)
            {
                boxes.TryRemove(pair);
            }
        }

        return taken;
    }

    /// <summary>Adds back counts whose report failed, so the next report carries them.</summary>
    public void Restore(PacketCounts counts)
    {
        foreach (var (hop, count) in counts.Sent)
        {
            Add(_sent, hop, count);
        }

        foreach (var (hop, count) in counts.ReceivedFrom)
        {
            Add(_receivedFrom, hop, count);
        }

        Interlocked.Add(ref _received, counts.Received);
    }

    private static void Add(ConcurrentDictionary<string, HopCounter> boxes, string hop, long count)
    {
        while (true)
        {
            var box = boxes.GetOrAdd(hop, static _ => new HopCounter());
            if (Interlocked.Add(ref box.Count, count) >= 0)
            {
                return;
            }

            // The box was retired after we found it; make sure it is gone and count in a fresh one.
            boxes.TryRemove(new KeyValuePair<string, HopCounter>(hop, box));
        }
    }

    private sealed class HopCounter
    {
        public long Count;

        // Touched only by the single taker.
        public int IdleTakes;
    }
}
