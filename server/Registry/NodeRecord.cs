using System.Security.Cryptography;
using Google.Protobuf;
using Mixnet.Directory.Server.Limits;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Registry;

/// <summary>
/// One registration of one identity and its lease. The registration is immutable; a
/// re-registration makes a new record. Only <c>last seen</c> changes, lock-free, on heartbeats.
/// The descriptor is kept as its serialized bytes, not as parsed objects: a parsed
/// <see cref="NodeDescriptor"/> with its timestamp, byte strings and strings cost about 380 B per
/// node, and the snapshot only ever needs the bytes.
/// </summary>
internal sealed class NodeRecord
{
    private const long Ended = long.MinValue;
    private long _lastSeenTicks;
    private long _heartbeatTat;
    private long _reportTat;
    private long _packetTat;

    private readonly LeaseToken _leaseToken;

    // The descriptor as the directory re-serialized it after validation: exactly the bytes that
    // serializing the parsed descriptor into a snapshot or delta would write.
    private readonly byte[] _descriptor;
    private readonly string _host;
    private readonly long _registeredAtTicks;
    private readonly long _signedAtTicks;
    private readonly uint _mixPort;

    // Validated before a record is made: the role is a known enum value and the layer is 0..3.
    private readonly byte _role;
    private readonly byte _layer;

    public NodeRecord(NodeId id, NodeDescriptor descriptor, ReadOnlySpan<byte> leaseToken, DateTimeOffset registeredAt, CallerPrefix caller = default, byte[]? signedDescriptor = null, byte[]? nodeSignature = null)
    {
        Id = id;
        Caller = caller;
        SignedDescriptor = signedDescriptor;
        NodeSignature = nodeSignature;
        _descriptor = descriptor.ToByteArray();
        leaseToken.CopyTo(_leaseToken);
        _registeredAtTicks = registeredAt.UtcTicks;
        _signedAtTicks = descriptor.SignedAt.ToDateTimeOffset().UtcTicks;
        var endpoint = EndpointOf(descriptor);
        _host = endpoint.Host;
        _mixPort = endpoint.Port;
        _role = checked((byte)descriptor.Role);
        _layer = checked((byte)descriptor.Layer);
        _lastSeenTicks = registeredAt.UtcTicks;
    }

    public NodeId Id { get; }

    /// <summary>
    /// The descriptor exactly as the node sent it, kept only when directory authorities are
    /// configured (a consensus carries the node's own signed bytes, which re-serializing could alter).
    /// </summary>
    public byte[]? SignedDescriptor { get; }

    /// <summary>The node's signature over <see cref="SignedDescriptor"/>; kept only with authorities configured.</summary>
    public byte[]? NodeSignature { get; }

    /// <summary>The network the registration came from (unknown for in-process callers).</summary>
    public CallerPrefix Caller { get; }

    public NodeRole Role => (NodeRole)_role;

    public uint Layer => _layer;

    /// <summary>
    /// The descriptor, parsed anew from the stored bytes on every call (a new object each time):
    /// for the rare paths (GetNode, re-registration, deltas), not for loops over every node.
    /// </summary>
    public NodeDescriptor Descriptor => NodeDescriptor.Parser.ParseFrom(_descriptor);

    /// <summary>The serialized descriptor, shared rather than copied, for writing snapshots and deltas.</summary>
    public ReadOnlyMemory<byte> DescriptorBytes => _descriptor;

    public DateTimeOffset RegisteredAt => new(_registeredAtTicks, TimeSpan.Zero);

    public DateTimeOffset SignedAt => new(_signedAtTicks, TimeSpan.Zero);

    /// <summary><c>host:mix_port</c>, lower-cased: two live identities may not share it.</summary>
    public EndpointKey Endpoint => new(_host, _mixPort);

    /// <summary>The host, lower-cased, for the per-host identity limit.</summary>
    public string HostKey => _host;

    public bool IsEnded => Volatile.Read(ref _lastSeenTicks) == Ended;

    public DateTimeOffset LastSeen
    {
        get
        {
            var ticks = Volatile.Read(ref _lastSeenTicks);
            return new DateTimeOffset(ticks == Ended ? _registeredAtTicks : ticks, TimeSpan.Zero);
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
    public bool TryTakeHeartbeatSlot(long nowTicks, long emissionTicks, int burst, out long retryAfterTicks) =>
        Gcra.TryTake(ref _heartbeatTat, nowTicks, emissionTicks, emissionTicks * burst, 0, out retryAfterTicks);

    /// <summary>The same per-identity check for metrics reports: <paramref name="burst"/> at once (the parts of one large report), then one per <paramref name="emissionTicks"/>.</summary>
    public bool TryTakeReportSlot(long nowTicks, long emissionTicks, int burst, out long retryAfterTicks) =>
        Gcra.TryTake(ref _reportTat, nowTicks, emissionTicks, emissionTicks * burst, 0, out retryAfterTicks);

    /// <summary>
    /// Spends <paramref name="packets"/> from the packets this node may claim: they refill at
    /// <paramref name="perSecond"/> from its registration on, and at most one report interval's
    /// worth (<paramref name="intervalTicks"/>) is ever available, so a report can claim no more
    /// than the cap times the time it covers. A refusal spends nothing.
    /// </summary>
    public bool TryClaimPackets(long nowTicks, ulong packets, long perSecond, long intervalTicks)
    {
        var cost = (long)Math.Min((double)packets * TimeSpan.TicksPerSecond / perSecond, long.MaxValue / 4);
        return Gcra.TryTake(ref _packetTat, nowTicks, cost, intervalTicks, _registeredAtTicks + intervalTicks, out _);
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
