using System.Runtime.InteropServices;
using Google.Protobuf.Collections;

namespace Mixnet.Directory.Server.Quality;

/// <summary>
/// One node's reported counts in the open period, keyed by endpoint number in the period's
/// <see cref="HopTable"/> (hops naming no listed node count only toward the totals). Guarded by
/// its own lock; sealed when the period closes, so a report that raced the close goes to the next
/// period instead of being lost.
/// </summary>
internal sealed class HopCountsBox(HopTable hops)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, ulong> _sent = [];
    private readonly Dictionary<int, ulong> _receivedFrom = [];
    private ulong _received;
    private ulong _sentTotal;
    private bool _attributed;
    private bool _sealed;

    /// <summary>Sent per endpoint number of a listed node.</summary>
    public IReadOnlyDictionary<int, ulong> Sent => _sent;

    /// <summary>Received per endpoint number of a listed previous hop.</summary>
    public IReadOnlyDictionary<int, ulong> ReceivedFrom => _receivedFrom;

    /// <summary>Packets received in total, attributed or not.</summary>
    public ulong Received => _received;

    /// <summary>Packets sent in total, to listed hops or not.</summary>
    public ulong SentTotal => _sentTotal;

    /// <summary>True when any report of the period named previous hops (a node that runs an SDK that knows <c>received_from</c>).</summary>
    public bool Attributed => _attributed;

    /// <returns>False when the box was sealed; the caller adds to the next period's box.</returns>
    public bool TryAdd(ulong received, MapField<string, ulong> sent, MapField<string, ulong> receivedFrom, int maxHops)
    {
        lock (_gate)
        {
            if (_sealed)
            {
                return false;
            }

            _received += received;
            _attributed |= receivedFrom.Count > 0;
            _sentTotal += AddAll(_sent, sent, maxHops);
            AddAll(_receivedFrom, receivedFrom, maxHops);
            return true;
        }
    }

    public void Seal()
    {
        lock (_gate)
        {
            _sealed = true;
        }
    }

    private ulong AddAll(Dictionary<int, ulong> into, MapField<string, ulong> counts, int maxHops)
    {
        ulong total = 0;
        foreach (var (hop, count) in counts)
        {
            total += count;
            var id = hops.Resolve(hop);
            if (id < 0 || (into.Count >= maxHops && !into.ContainsKey(id)))
            {
                continue;
            }

            CollectionsMarshal.GetValueRefOrAddDefault(into, id, out _) += count;
        }

        return total;
    }
}
