using System.Security.Cryptography;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Domain;

/// <summary>
/// One registration of one identity and its lease. The registration is immutable; a
/// re-registration makes a new record. Only <c>last seen</c> changes, lock-free, on heartbeats.
/// </summary>
internal sealed class NodeRecord
{
    private const long Ended = long.MinValue;
    private long _lastSeenTicks;
    private long _heartbeatTat;

    private readonly LeaseToken _leaseToken;

    public NodeRecord(NodeId id, NodeDescriptor descriptor, ReadOnlySpan<byte> leaseToken, DateTimeOffset registeredAt)
    {
        Id = id;
        Descriptor = descriptor;
        leaseToken.CopyTo(_leaseToken);
        RegisteredAt = registeredAt;
        SignedAt = descriptor.SignedAt.ToDateTimeOffset();
        Endpoint = EndpointOf(descriptor);
        _lastSeenTicks = registeredAt.UtcTicks;
    }

    public NodeId Id { get; }

    public NodeDescriptor Descriptor { get; }

    public DateTimeOffset RegisteredAt { get; }

    public DateTimeOffset SignedAt { get; }

    /// <summary><c>host:mix_port</c>, lower-cased: two live identities may not share it.</summary>
    public EndpointKey Endpoint { get; }

    /// <summary>The host, lower-cased, for the per-host identity limit.</summary>
    public string HostKey => Endpoint.Host;

    public bool IsEnded => Volatile.Read(ref _lastSeenTicks) == Ended;

    public DateTimeOffset LastSeen
    {
        get
        {
            var ticks = Volatile.Read(ref _lastSeenTicks);
            return ticks == Ended ? RegisteredAt : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public static EndpointKey EndpointOf(NodeDescriptor descriptor)
    {
        var lower = descriptor.Host.ToLowerInvariant();
        return new EndpointKey(string.Equals(lower, descriptor.Host, StringComparison.Ordinal) ? descriptor.Host : lower, descriptor.MixPort);
    }

    /// <summary>Constant-time comparison, so timing does not reveal how much of a guess was right.</summary>
    public bool TokenMatches(ReadOnlySpan<byte> token) =>
        token.Length == 32 && CryptographicOperations.FixedTimeEquals(token, _leaseToken);

    /// <summary>True when the lease is still alive at <paramref name="nowTicks"/>.</summary>
    public bool IsLive(long nowTicks, long ttlTicks)
    {
        var seen = Volatile.Read(ref _lastSeenTicks);
        return seen != Ended && nowTicks - seen <= ttlTicks;
    }

    /// <summary>
    /// Renews the lease unless it has ended or is already overdue: a heartbeat never revives a
    /// node that the TTL has already taken out of the topology.
    /// </summary>
    public bool TryRenew(long nowTicks, long ttlTicks)
    {
        while (true)
        {
            var seen = Volatile.Read(ref _lastSeenTicks);
            if (seen == Ended || nowTicks - seen > ttlTicks)
            {
                return false;
            }

            if (nowTicks <= seen || Interlocked.CompareExchange(ref _lastSeenTicks, nowTicks, seen) == seen)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// A per-identity rate check (GCRA: one CAS, no lock, no allocation): at most
    /// <paramref name="burst"/> heartbeats at once, then one per <paramref name="emissionTicks"/>.
    /// </summary>
    /// <param name="nowTicks">The current time in UTC ticks.</param>
    /// <param name="emissionTicks">The sustained spacing between heartbeats.</param>
    /// <param name="burst">How many may come at once.</param>
    /// <param name="retryAfterTicks">When refused, how long until the next heartbeat is allowed.</param>
    public bool TryTakeHeartbeatSlot(long nowTicks, long emissionTicks, int burst, out long retryAfterTicks)
    {
        var tolerance = emissionTicks * (burst - 1);
        while (true)
        {
            var tat = Volatile.Read(ref _heartbeatTat);
            var start = Math.Max(tat, nowTicks);
            if (start - tolerance > nowTicks)
            {
                retryAfterTicks = start - tolerance - nowTicks;
                return false;
            }

            if (Interlocked.CompareExchange(ref _heartbeatTat, start + emissionTicks, tat) == tat)
            {
                retryAfterTicks = 0;
                return true;
            }
        }
    }

    /// <summary>Ends the lease if it is overdue (or always, with <paramref name="force"/>); true if this call ended it.</summary>
    public bool TryEnd(long nowTicks, long ttlTicks, bool force)
    {
        while (true)
        {
            var seen = Volatile.Read(ref _lastSeenTicks);
            if (seen == Ended || (!force && nowTicks - seen <= ttlTicks))
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _lastSeenTicks, Ended, seen) == seen)
            {
                return true;
            }
        }
    }
}
