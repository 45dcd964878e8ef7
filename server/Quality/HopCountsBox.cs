using Google.Protobuf.Collections;

namespace Mixnet.Directory.Server.Quality;

/// <summary>
/// One node's reported counts in the open period, keyed by endpoint number in the period's
/// <see cref="HopTable"/> (hops naming no listed node count only toward the totals), each side a
/// <see cref="HopSlots"/> that matches a report against the previous reports' hop order before
/// it looks anything up. Guarded by its own lock; sealed when the period closes, so a report that
/// raced the close goes to the next period instead of being lost.
/// </summary>
internal sealed class HopCountsBox(HopTable hops)
{
    private readonly Lock _gate = new();
    private readonly HopSlots _sent = new();
    private readonly HopSlots _receivedFrom = new();
    private ulong _received;
    private ulong _sentTotal;
    private bool _attributed;
    private bool _sealed;

    /// <summary>Sent per endpoint number of a listed node.</summary>
    public HopSlots Sent => _sent;

    /// <summary>Received per endpoint number of a listed previous hop.</summary>
    public HopSlots ReceivedFrom => _receivedFrom;

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
            _sentTotal += _sent.Add(sent, hops, maxHops);
            _receivedFrom.Add(receivedFrom, hops, maxHops);
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
}
