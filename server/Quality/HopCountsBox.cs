using Google.Protobuf.Collections;

namespace Mixnet.Directory.Server.Quality;

/// <summary>
/// One node's reported counts in the open period, keyed by the hop strings as reported (resolved
/// to identities once per period, not once per report). Guarded by its own lock; sealed when the
/// period closes, so a report that raced the close goes to the next period instead of being lost.
/// </summary>
internal sealed class HopCountsBox
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ulong> _sent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ulong> _receivedFrom = new(StringComparer.Ordinal);
    private ulong _received;
    private bool _attributed;
    private bool _sealed;

    public IReadOnlyDictionary<string, ulong> Sent => _sent;

    public IReadOnlyDictionary<string, ulong> ReceivedFrom => _receivedFrom;

    /// <summary>Packets received in total, attributed or not.</summary>
    public ulong Received => _received;

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
            AddAll(_sent, sent, maxHops);
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

    private static void AddAll(Dictionary<string, ulong> into, MapField<string, ulong> counts, int maxHops)
    {
        foreach (var (hop, count) in counts)
        {
            if (into.TryGetValue(hop, out var had))
            {
                into[hop] = had + count;
            }
            else if (into.Count < maxHops)
            {
                into[hop] = count;
            }
        }
    }
}
