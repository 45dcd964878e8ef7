using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Admin;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Hosting;
using Mixnet.Directory.Server.Limits;
using Mixnet.Directory.Server.Presence;
using Mixnet.Directory.Server.Topology;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Registry;

/// <summary>
/// Who is registered: every join and every leave goes through here, under one writer lock, so
/// the leases, the endpoint index, the replay marks and the topology's membership always move
/// together. Heartbeats never come here (<see cref="Leases"/> serves them without a lock).
/// </summary>
internal sealed partial class NodeRegistry
{
    private readonly Lock _gate = new();
    private readonly EndpointIndex _endpoints = new();
    private readonly ReplayGuard _replay;
    private readonly Leases _leases;
    private readonly Membership _membership;
    private readonly BanList _bans;
    private readonly TimeProvider _time;
    private readonly ILogger<NodeRegistry> _logger;
    private readonly DirectoryOptions _options;

    // Only directory authorities need the node's original signed bytes (about 200 B a node more).
    private readonly bool _keepSigned;

    public NodeRegistry(IOptions<DirectoryOptions> options, Leases leases, Membership membership, BanList bans, TimeProvider time, ILogger<NodeRegistry> logger, IOptions<Authorities.AuthorityOptions>? authorities = null)
    {
        _keepSigned = authorities?.Value.Enabled == true;
        _options = options.Value;
        _replay = new ReplayGuard(_options.MaxClockSkew);
        _leases = leases;
        _membership = membership;
        _bans = bans;
        _time = time;
        _logger = logger;
        MarksPath = ReplayMarkFile.PathIn(_options.DataPath);
        if (ReplayMarkFile.Load(MarksPath) is { } marks)
        {
            // An earlier run left marks: it may also have accepted registrations after its last
            // write, so nothing signed before this run started is taken (the SDK signs afresh).
            var now = _time.GetUtcNow();
            _replay.Restore(marks.Where(m => m.Value >= now - _options.MaxClockSkew), now);
            _savedChanges = _replay.Changes;
            RegistryLog.MarksLoaded(_logger, _replay.Count, MarksPath);
        }
    }

    /// <summary>Verifies and stores a signed descriptor. Throws <see cref="DirectoryException"/> and changes nothing on refusal.</summary>
    public RegistrationResult Register(ByteString descriptorBytes, ByteString signature) =>
        Register(Verify(descriptorBytes, signature), caller: default, descriptorBytes, signature);

    /// <summary>
    /// The stateless checks of a registration (shape, fields, signature, clock skew, ban), with the
    /// host in canonical form. Throws <see cref="DirectoryException"/> naming the field at fault.
    /// </summary>
    public NodeDescriptor Verify(ByteString descriptorBytes, ByteString signature)
    {
        var descriptor = DescriptorVerifier.Verify(descriptorBytes, signature, _time.GetUtcNow(), _options.MaxClockSkew);
        NodeId.TryRead(descriptor.IdentityKey.Span, out var id);
        ThrowIfBanned(id);
        return descriptor;
    }

    /// <summary>
    /// Stores a descriptor that passed <see cref="Verify"/>, registered from <paramref name="caller"/>,
    /// with the bytes and signature the node sent (kept for a consensus when authorities are
    /// configured). Changes nothing on refusal.
    /// </summary>
    public RegistrationResult Register(NodeDescriptor descriptor, CallerPrefix caller, ByteString descriptorBytes, ByteString signature)
    {
        var now = _time.GetUtcNow();
        if ((descriptor.SignedAt.ToDateTimeOffset() - now).Duration() > _options.MaxClockSkew)
        {
            // Verified a moment ago (a DNS lookup may sit in between): the skew is checked again.
            throw new DirectoryException(DirectoryErrorKind.FailedPrecondition, "descriptor.signed_at",
                "descriptor.signed_at is too far from the directory's clock (check the node's clock)");
        }

        NodeId.TryRead(descriptor.IdentityKey.Span, out var id);
        var token = RandomNumberGenerator.GetBytes(DirectorySignatures.PublicKeySize);
        var record = _keepSigned
            ? new NodeRecord(id, descriptor, token, now, caller, descriptorBytes.ToByteArray(), signature.ToByteArray())
            : new NodeRecord(id, descriptor, token, now, caller);
        ulong version;
        NodeRecord? existing;
        lock (_gate)
        {
            // Checked again under the lock: a ban that lands meanwhile either refuses this
            // registration or removes it right after.
            ThrowIfBanned(id);
            _leases.TryGet(id, out existing);
            if (_replay.IsReplay(id, record.SignedAt, existing))
            {
                throw new DirectoryException(DirectoryErrorKind.FailedPrecondition, "descriptor.signed_at",
                    record.SignedAt < _replay.Floor
                        ? "descriptor.signed_at is older than the directory's restart (a replayed descriptor); sign a fresh one"
                        : "descriptor.signed_at is not newer than the node's current registration (a replayed or out-of-order descriptor)");
            }

            // A holder whose lease ran out but whom the sweeper has not reached yet gives way.
            var squatter = _endpoints.Holder(record.Endpoint) is { } holder && holder.Id != id ? holder : null;
            if (squatter is not null && squatter.IsLive(now.UtcTicks, _leases.TtlTicks))
            {
                throw new DirectoryException(DirectoryErrorKind.AlreadyExists, "descriptor.host",
                    $"descriptor.host and descriptor.mix_port ({record.Endpoint}) are held by another live node");
            }

            if (existing is null)
            {
                NodeCaps.ThrowIfFull(_leases.Count - (squatter is null ? 0 : 1), _options.MaxNodes);
            }

            NodeCaps.ThrowIfHostFull(
                _endpoints.OnHost(record.HostKey)
                    - (existing?.HostKey == record.HostKey ? 1 : 0)
                    - (squatter?.HostKey == record.HostKey ? 1 : 0),
                _options.MaxNodesPerHost,
                _options.PresenceTtl);
            if (caller.IsKnown)
            {
                NodeCaps.ThrowIfCallerFull(
                    _endpoints.FromCaller(caller)
                        - (existing?.Caller == caller ? 1 : 0)
                        - (squatter?.Caller == caller ? 1 : 0),
                    _options.MaxNodesPerHost,
                    _options.PresenceTtl);
            }

            // Every check passed: from here on the registration is applied whole.
            Span<NodeId> removed = [default];
            var removedCount = 0;
            if (squatter is not null)
            {
                RemoveLocked(squatter);
                removed[removedCount++] = squatter.Id;
            }

            if (existing is not null)
            {
                RemoveLocked(existing);
            }

            _leases.Put(record);
            _endpoints.Add(record);
            _replay.Registered(id);

            // A restart with the same fields renews the lease but is no topology change: the
            // listed record stays, with the descriptor (and signed_at) that watchers already have.
            var listedAgain = _membership.TryGetListed(id, out var listed) && DescriptorVerifier.SameExceptSignedAt(listed.Descriptor, descriptor);
            version = _membership.Apply(listedAgain ? null : record, removed[..removedCount]);
        }

        RegistryLog.Registered(_logger, id, descriptor.Role, descriptor.Layer, record.Endpoint, existing is not null);
        return new RegistrationResult(token, version, existing is not null, record.SignedAt > now);
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
            if (!_leases.TryGet(id, out var record))
            {
                throw new DirectoryException(DirectoryErrorKind.NotFound, "identity_key", "identity_key is not registered (or its lease expired)");
            }

            if (!record.TokenMatches(leaseToken))
            {
                throw new DirectoryException(DirectoryErrorKind.Unauthenticated, "lease_token", "lease_token does not match the node's current lease");
            }

            if (!record.IsLive(_time.GetUtcNow().UtcTicks, _leases.TtlTicks))
            {
                // Same answer as a heartbeat would get: the lease already ran out.
                throw new DirectoryException(DirectoryErrorKind.NotFound, "identity_key", "identity_key is not registered (or its lease expired)");
            }

            RemoveLocked(record);
            version = _membership.Apply(null, [id]);
        }

        RegistryLog.Deregistered(_logger, id);
        return version;
    }

    /// <summary>Bans an identity (persisted first) and removes its node from the topology at once.</summary>
    /// <returns>The ban, and whether a registered node was removed.</returns>
    public (BanRecord Ban, bool Removed) Ban(NodeId id, string reason, string bannedBy)
    {
        var ban = _bans.Add(id, reason, bannedBy, _time.GetUtcNow());
        lock (_gate)
        {
            if (!_leases.TryGet(id, out var record))
            {
                return (ban, false);
            }

            RemoveLocked(record);
            _membership.Apply(null, [id]);
        }

        return (ban, true);
    }

    /// <summary>Drops every node whose lease is older than the TTL, as one topology change.</summary>
    /// <returns>How many nodes expired.</returns>
    public int ExpireDue()
    {
        var now = _time.GetUtcNow();
        var due = _leases.Overdue(now.UtcTicks);
        lock (_gate)
        {
            _replay.Forget(now);
            if (due is null)
            {
                return 0;
            }

            var expired = new NodeId[due.Count];
            var count = 0;
            foreach (var record in due)
            {
                // The CAS loses to a heartbeat that renewed the lease in between, which keeps the node;
                // a record replaced meanwhile is no longer the identity's.
                if (_leases.TryGet(record.Id, out var current) && ReferenceEquals(current, record)
                    && (record.IsEnded || record.TryEnd(now.UtcTicks, _leases.TtlTicks, force: false)))
                {
                    RemoveLocked(record);
                    expired[count++] = record.Id;
                }
            }

            if (count == 0)
            {
                return 0;
            }

            var version = _membership.Apply(null, expired.AsSpan(0, count));
            RegistryLog.Expired(_logger, count, version);
            return count;
        }
    }

    /// <summary>
    /// The one way a record leaves, whatever the reason (deregistration, expiry, ban, replacement
    /// by a newer registration or by a new holder of its endpoint): its lease ends, its endpoint
    /// and host count are released, and its signed_at stays as the identity's replay mark. The
    /// caller holds the writer lock and updates the membership in the same change.
    /// </summary>
    private void RemoveLocked(NodeRecord record)
    {
        record.TryEnd(0, 0, force: true);
        _leases.Remove(record);
        _endpoints.Remove(record);
        _replay.Departed(record);
    }

    private void ThrowIfBanned(NodeId id)
    {
        if (_bans.IsBanned(id))
        {
            throw new DirectoryException(DirectoryErrorKind.PermissionDenied, "descriptor.identity_key", "descriptor.identity_key is banned from this directory");
        }
    }
}
