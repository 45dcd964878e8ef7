using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Admin;
using Mixnet.Directory.Server.Logging;
using Mixnet.Directory.Server.Options;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;
using Mixnet.Directory.Validation;

namespace Mixnet.Directory.Server.Domain;

/// <summary>
/// Registrations, leases and topology membership. Heartbeats are lock-free lookups in a
/// concurrent table; membership changes (register, deregister, expiry) are serialized by one
/// writer lock, so the version and the node set always move together, and readers see them
/// through one immutable <see cref="TopologyState"/>.
/// </summary>
internal sealed partial class NodeRegistry
{
    private readonly ConcurrentDictionary<NodeId, NodeRecord> _records = new();
    // Maps to the record rather than its 32-byte id: an entry per node is 24 bytes smaller.
    private readonly Dictionary<EndpointKey, NodeRecord> _endpoints = [];
    private readonly List<(ulong Version, NodeId Id)> _changeLog = [];

    // signed_at of identities that left, kept for the clock-skew window, so a captured
    // registration cannot be replayed after its node deregistered or expired.
    private readonly Dictionary<NodeId, DateTimeOffset> _departed = [];
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly BanList _bans;
    private readonly ILogger<NodeRegistry> _logger;
    private readonly DirectoryOptions _options;
    private readonly long _ttlTicks;
    private readonly Dictionary<string, int> _perHost = new(StringComparer.Ordinal);
    private readonly long _heartbeatEmissionTicks;
    private readonly int _heartbeatBurst;
    // Membership is edited in place under the writer lock; an immutable view is frozen from it
    // only when someone reads State (the publisher, at most once per batch window). Freezing per
    // registration instead copied a tree path per change and left the GC megabytes of churn.
    private readonly ImmutableDictionary<NodeId, NodeRecord>.Builder _members = ImmutableDictionary.CreateBuilder<NodeId, NodeRecord>();
    private volatile TopologyState _state;
    private ulong _version;
    private int _liveCount;

    public NodeRegistry(IOptions<DirectoryOptions> options, TimeProvider time, ILogger<NodeRegistry> logger, BanList bans)
    {
        _bans = bans;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _ttlTicks = _options.PresenceTtl.Ticks;
        _heartbeatBurst = _options.RateLimits.Enabled ? _options.RateLimits.HeartbeatsPerInterval : 0;
        _heartbeatEmissionTicks = _heartbeatBurst > 0 ? _options.HeartbeatInterval.Ticks / _heartbeatBurst : 0;

        // Versions start from the start time, so a restarted directory never reissues a version
        // number that a client still holds for different content.
        _version = (ulong)Math.Max(1, time.GetUtcNow().ToUnixTimeMilliseconds()) * 1000;
        _state = new TopologyState(_version, _members.ToImmutable());
    }

    /// <summary>Raised after the topology version changed, outside the writer lock.</summary>
    public event Action<ulong>? TopologyChanged;

    /// <summary>The current membership and its version.</summary>
    public TopologyState State
    {
        get
        {
            var state = _state;
            if (state.Version == Version)
            {
                return state;
            }

            lock (_gate)
            {
                if (_state.Version != _version)
                {
                    _state = new TopologyState(_version, _members.ToImmutable());
                }

                return _state;
            }
        }
    }

    /// <summary>The current topology version, without freezing a view (heartbeats report it).</summary>
    public ulong Version => Volatile.Read(ref _version);

    /// <summary>Nodes in the topology now.</summary>
    public int LiveCount => Volatile.Read(ref _liveCount);

    /// <summary>Number of registered identities.</summary>
    public int Count => _records.Count;

    public TimeSpan Ttl => _options.PresenceTtl;

    public TimeSpan HeartbeatInterval => _options.HeartbeatInterval;

    /// <summary>Verifies and stores a signed descriptor. Throws <see cref="DirectoryException"/> and changes nothing on refusal.</summary>
    public RegistrationResult Register(ByteString descriptorBytes, ByteString signature)
    {
        var descriptor = ParseAndVerify(descriptorBytes, signature);
        var now = _time.GetUtcNow();
        var signedAt = descriptor.SignedAt.ToDateTimeOffset();
        if ((signedAt - now).Duration() > _options.MaxClockSkew)
        {
            throw new DirectoryException(DirectoryErrorKind.FailedPrecondition, "descriptor.signed_at",
                $"descriptor.signed_at is {(signedAt - now).TotalSeconds:F0} s from the directory's clock; at most {_options.MaxClockSkew.TotalSeconds:F0} s is allowed (check the node's clock)");
        }

        NodeId.TryRead(descriptor.IdentityKey.Span, out var id);
        ThrowIfBanned(id);
        var token = RandomNumberGenerator.GetBytes(DirectorySignatures.PublicKeySize);
        var record = new NodeRecord(id, descriptor, token, now);
        ulong version;
        bool replaced;
        bool changed;
        lock (_gate)
        {
            // Checked again under the lock: a ban that lands meanwhile either refuses this
            // registration or removes it right after.
            ThrowIfBanned(id);
            _records.TryGetValue(id, out var existing);
            if ((existing is not null && existing.SignedAt >= signedAt)
                || (existing is null && _departed.TryGetValue(id, out var leftAt) && leftAt >= signedAt))
            {
                throw new DirectoryException(DirectoryErrorKind.FailedPrecondition, "descriptor.signed_at",
                    "descriptor.signed_at is not newer than the node's current registration (a replayed or out-of-order descriptor)");
            }

            NodeRecord? squatter = null;
            if (_endpoints.TryGetValue(record.Endpoint, out var holder) && holder.Id != id && _records.TryGetValue(holder.Id, out squatter))
            {
                if (squatter.IsLive(now.UtcTicks, _ttlTicks))
                {
                    throw new DirectoryException(DirectoryErrorKind.AlreadyExists, "descriptor.host",
                        $"descriptor.host and descriptor.mix_port ({record.Endpoint}) are held by another live node");
                }
            }

            if (existing is null && _records.Count - (squatter is null ? 0 : 1) >= _options.MaxNodes)
            {
                throw new DirectoryException(DirectoryErrorKind.ResourceExhausted, "descriptor",
                    $"the directory is full ({_options.MaxNodes} nodes, Directory:MaxNodes)");
            }

            if (_options.MaxNodesPerHost > 0)
            {
                var onHost = _perHost.GetValueOrDefault(record.HostKey)
                    - (existing?.HostKey == record.HostKey ? 1 : 0)
                    - (squatter?.HostKey == record.HostKey ? 1 : 0);
                if (onHost >= _options.MaxNodesPerHost)
                {
                    throw new DirectoryException(DirectoryErrorKind.ResourceExhausted, "descriptor.host",
                        $"descriptor.host already has {onHost} live identities (Directory:MaxNodesPerHost is {_options.MaxNodesPerHost})",
                        _options.PresenceTtl);
                }
            }

            // Every check passed: from here on the registration is applied whole.
            if (squatter is not null)
            {
                // The holder's lease ran out but the sweeper has not reached it yet.
                squatter.TryEnd(now.UtcTicks, _ttlTicks, force: true);
                _records.TryRemove(new KeyValuePair<NodeId, NodeRecord>(squatter.Id, squatter));
                _departed[squatter.Id] = squatter.SignedAt;
                CountHost(squatter, -1);
                _members.Remove(squatter.Id);
            }

            if (existing is not null)
            {
                existing.TryEnd(now.UtcTicks, _ttlTicks, force: true);
                CountHost(existing, -1);
                if (existing.Endpoint != record.Endpoint)
                {
                    _endpoints.Remove(existing.Endpoint);
                }
            }

            _records[id] = record;
            _endpoints[record.Endpoint] = record;
            _departed.Remove(id);
            CountHost(record, +1);
            var touched = new List<NodeId>(2);
            if (squatter is not null)
            {
                touched.Add(squatter.Id);
            }

            // A restart with the same fields renews the lease but is no topology change: the
            // published record stays, with the descriptor (and signed_at) that watchers already have.
            if (!_members.TryGetValue(id, out var published) || !SameExceptSignedAt(published.Descriptor, descriptor))
            {
                _members[id] = record;
                touched.Add(id);
            }

            changed = touched.Count > 0;
            version = changed ? CommitLocked(touched) : _version;
            replaced = existing is not null;
        }

        RegistryLog.Registered(_logger, id, descriptor.Role, descriptor.Layer, record.Endpoint, replaced);
        if (changed)
        {
            TopologyChanged?.Invoke(version);
        }

        return new RegistrationResult(token, version, replaced);
    }

    /// <summary>Renews a lease. The hot path: no lock, no allocation, no signature work.</summary>
    public HeartbeatOutcome Heartbeat(ReadOnlySpan<byte> identityKey, ReadOnlySpan<byte> leaseToken) =>
        Heartbeat(identityKey, leaseToken, out _);

    /// <summary>Renews a lease; <paramref name="retryAfter"/> is set when the identity heartbeats too often.</summary>
    public HeartbeatOutcome Heartbeat(ReadOnlySpan<byte> identityKey, ReadOnlySpan<byte> leaseToken, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!NodeId.TryRead(identityKey, out var id))
        {
            return HeartbeatOutcome.NotFound;
        }

        if (!_records.TryGetValue(id, out var record))
        {
            // Only a node without a record can be banned (a ban removes it), so the success path pays nothing.
            return _bans.IsBanned(id) ? HeartbeatOutcome.Banned : HeartbeatOutcome.NotFound;
        }

        if (!record.TokenMatches(leaseToken))
        {
            return HeartbeatOutcome.WrongToken;
        }

        var nowTicks = _time.GetUtcNow().UtcTicks;

        // An expired lease answers NOT_FOUND (register again) even to a node that is also too eager.
        if (_heartbeatBurst > 0 && record.IsLive(nowTicks, _ttlTicks)
            && !record.TryTakeHeartbeatSlot(nowTicks, _heartbeatEmissionTicks, _heartbeatBurst, out var waitTicks))
        {
            retryAfter = TimeSpan.FromTicks(waitTicks);
            return HeartbeatOutcome.RateLimited;
        }

        return record.TryRenew(nowTicks, _ttlTicks) ? HeartbeatOutcome.Renewed : HeartbeatOutcome.NotFound;
    }

    /// <summary>Checks a lease without renewing it (for metrics reports).</summary>
    public HeartbeatOutcome CheckLease(ReadOnlySpan<byte> identityKey, ReadOnlySpan<byte> leaseToken)
    {
        if (!NodeId.TryRead(identityKey, out var id))
        {
            return HeartbeatOutcome.NotFound;
        }

        if (!_records.TryGetValue(id, out var record))
        {
            return _bans.IsBanned(id) ? HeartbeatOutcome.Banned : HeartbeatOutcome.NotFound;
        }

        if (!record.TokenMatches(leaseToken))
        {
            return HeartbeatOutcome.WrongToken;
        }

        return record.IsLive(_time.GetUtcNow().UtcTicks, _ttlTicks) ? HeartbeatOutcome.Renewed : HeartbeatOutcome.NotFound;
    }

    /// <summary>Removes a node at once. Throws <see cref="DirectoryException"/> for an unknown node or a wrong token.</summary>
    public ulong Deregister(ReadOnlySpan<byte> identityKey, ReadOnlySpan<byte> leaseToken)
    {
        if (!NodeId.TryRead(identityKey, out var id))
        {
            throw new DirectoryException(DirectoryErrorKind.InvalidArgument, "identity_key", $"identity_key must be {DirectorySignatures.PublicKeySize} bytes, got {identityKey.Length}");
        }

        ulong version;
        lock (_gate)
        {
            if (!_records.TryGetValue(id, out var record))
            {
                throw new DirectoryException(DirectoryErrorKind.NotFound, "identity_key", "identity_key is not registered (or its lease expired)");
            }

            if (!record.TokenMatches(leaseToken))
            {
                throw new DirectoryException(DirectoryErrorKind.Unauthenticated, "lease_token", "lease_token does not match the node's current lease");
            }

            if (!record.IsLive(_time.GetUtcNow().UtcTicks, _ttlTicks))
            {
                // Same answer as a heartbeat would get: the lease already ran out.
                throw new DirectoryException(DirectoryErrorKind.NotFound, "identity_key", "identity_key is not registered (or its lease expired)");
            }

            record.TryEnd(0, 0, force: true);
            _records.TryRemove(id, out _);
            _departed[id] = record.SignedAt;
            CountHost(record, -1);
            _endpoints.Remove(record.Endpoint);
            _members.Remove(id);
            version = CommitLocked([id]);
        }

        RegistryLog.Deregistered(_logger, id);
        TopologyChanged?.Invoke(version);
        return version;
    }

    /// <summary>Bans an identity (persisted first) and removes its node from the topology at once.</summary>
    /// <returns>The ban, and whether a live node was removed.</returns>
    public (BanRecord Ban, bool Removed) Ban(NodeId id, string reason, string bannedBy)
    {
        var ban = _bans.Add(id, reason, bannedBy, _time.GetUtcNow());
        ulong version;
        lock (_gate)
        {
            if (!_records.TryRemove(id, out var record))
            {
                return (ban, false);
            }

            record.TryEnd(0, 0, force: true);
            CountHost(record, -1);
            if (_endpoints.TryGetValue(record.Endpoint, out var holder) && holder.Id == id)
            {
                _endpoints.Remove(record.Endpoint);
            }

            _members.Remove(id);
            version = CommitLocked([id]);
        }

        TopologyChanged?.Invoke(version);
        return (ban, true);
    }

    /// <summary>Lifts a ban; the node may register again.</summary>
    public bool Unban(NodeId id) => _bans.Remove(id);

    public IReadOnlyList<BanRecord> Bans() => _bans.List();

    /// <summary>Looks up a registered node whose lease is live.</summary>
    public NodeRecord? Find(ReadOnlySpan<byte> identityKey)
    {
        if (!NodeId.TryRead(identityKey, out var id) || !_records.TryGetValue(id, out var record))
        {
            return null;
        }

        return record.IsLive(_time.GetUtcNow().UtcTicks, _ttlTicks) ? record : null;
    }

    /// <summary>Drops every node whose lease is older than the TTL, as one topology change.</summary>
    /// <returns>How many nodes expired.</returns>
    public int ExpireDue()
    {
        var nowTicks = _time.GetUtcNow().UtcTicks;
        ForgetOldDepartures(new DateTimeOffset(nowTicks, TimeSpan.Zero));
        List<NodeRecord>? due = null;
        foreach (var (_, record) in _records)
        {
            if (!record.IsLive(nowTicks, _ttlTicks))
            {
                (due ??= []).Add(record);
            }
        }

        if (due is null)
        {
            return 0;
        }

        ulong version;
        var expired = new List<NodeId>(due.Count);
        lock (_gate)
        {
            foreach (var record in due)
            {
                // The CAS loses to a heartbeat that renewed the lease in between, which keeps the node.
                if (_records.TryGetValue(record.Id, out var current) && ReferenceEquals(current, record)
                    && (record.IsEnded || record.TryEnd(nowTicks, _ttlTicks, force: false)))
                {
                    _records.TryRemove(record.Id, out _);
                    _departed[record.Id] = record.SignedAt;
                    CountHost(record, -1);
                    if (_endpoints.TryGetValue(record.Endpoint, out var holder) && holder.Id == record.Id)
                    {
                        _endpoints.Remove(record.Endpoint);
                    }

                    _members.Remove(record.Id);
                    expired.Add(record.Id);
                }
            }

            if (expired.Count == 0)
            {
                return 0;
            }

            version = CommitLocked(expired);
        }

        RegistryLog.Expired(_logger, expired.Count, version);
        TopologyChanged?.Invoke(version);
        return expired.Count;
    }

    /// <summary>
    /// The identities whose membership may differ between two versions, and forgets changes at
    /// or before <paramref name="fromVersion"/> (the publisher never asks for them again).
    /// </summary>
    public HashSet<NodeId> TakeChangesSince(ulong fromVersion, ulong toVersion)
    {
        var touched = new HashSet<NodeId>();
        lock (_gate)
        {
            var drop = 0;
            foreach (var (version, id) in _changeLog)
            {
                if (version <= fromVersion)
                {
                    drop++;
                }
                else if (version <= toVersion)
                {
                    touched.Add(id);
                }
            }

            _changeLog.RemoveRange(0, drop);
        }

        return touched;
    }

    /// <summary>Live identities per host; changed only under the writer lock.</summary>
    private void CountHost(NodeRecord record, int delta)
    {
        var count = _perHost.GetValueOrDefault(record.HostKey) + delta;
        if (count <= 0)
        {
            _perHost.Remove(record.HostKey);
        }
        else
        {
            _perHost[record.HostKey] = count;
        }
    }

    private void ThrowIfBanned(NodeId id)
    {
        if (_bans.IsBanned(id))
        {
            throw new DirectoryException(DirectoryErrorKind.PermissionDenied, "descriptor.identity_key", "descriptor.identity_key is banned from this directory");
        }
    }

    private void ForgetOldDepartures(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_departed.Count == 0)
            {
                return;
            }

            // A descriptor signed before now - skew is refused by the skew check anyway.
            var horizon = now - _options.MaxClockSkew;
            foreach (var (id, signedAt) in _departed)
            {
                if (signedAt < horizon)
                {
                    _departed.Remove(id);
                }
            }
        }
    }

    private ulong CommitLocked(IEnumerable<NodeId> touched)
    {
        var version = _version + 1;
        foreach (var id in touched)
        {
            _changeLog.Add((version, id));
        }

        Volatile.Write(ref _liveCount, _members.Count);
        Volatile.Write(ref _version, version);
        return version;
    }

    private static NodeDescriptor ParseAndVerify(ByteString descriptorBytes, ByteString signature)
    {
        if (descriptorBytes.IsEmpty)
        {
            throw new DirectoryException(DirectoryErrorKind.InvalidArgument, "descriptor", "descriptor is required");
        }

        if (descriptorBytes.Length > DescriptorLimits.MaxDescriptorBytes)
        {
            throw new DirectoryException(DirectoryErrorKind.InvalidArgument, "descriptor",
                $"descriptor must be at most {DescriptorLimits.MaxDescriptorBytes} bytes, got {descriptorBytes.Length}");
        }

        NodeDescriptor descriptor;
        try
        {
            descriptor = NodeDescriptor.Parser.ParseFrom(descriptorBytes);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new DirectoryException(DirectoryErrorKind.InvalidArgument, "descriptor", "descriptor is not a serialized NodeDescriptor");
        }

        if (NodeDescriptorRules.Validate(descriptor) is { } error)
        {
            throw new DirectoryException(DirectoryErrorKind.InvalidArgument, error.Field, error.ToString());
        }

        if (signature.Length != DirectorySignatures.SignatureSize)
        {
            throw new DirectoryException(DirectoryErrorKind.InvalidArgument, "signature",
                $"signature must be {DirectorySignatures.SignatureSize} bytes, got {signature.Length}");
        }

        if (!DirectorySignatures.Verify(descriptor.IdentityKey.Span, SignatureDomain.NodeDescriptor, descriptorBytes.Span, signature.Span))
        {
            throw new DirectoryException(DirectoryErrorKind.Unauthenticated, "signature",
                "signature does not verify against descriptor.identity_key over the descriptor bytes");
        }

        return descriptor;
    }

    private static bool SameExceptSignedAt(NodeDescriptor a, NodeDescriptor b) =>
        a.IdentityKey == b.IdentityKey && a.SphinxKey == b.SphinxKey && a.Role == b.Role && a.Layer == b.Layer
        && a.Host == b.Host && a.MixPort == b.MixPort && a.ClientPort == b.ClientPort
        && a.Version == b.Version && a.Location == b.Location;
}
