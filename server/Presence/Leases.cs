using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Admin;
using Mixnet.Directory.Server.Hosting;
using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Server.Presence;

/// <summary>
/// The lease of every registered identity. Heartbeats and metrics reports read it without a
/// lock: one lookup in a concurrent table, one constant-time token comparison, one CAS. Records
/// are added and removed only by <see cref="NodeRegistry"/> under its writer lock.
/// </summary>
internal sealed class Leases
{
    private readonly ConcurrentDictionary<NodeId, NodeRecord> _records = new();
    private readonly TimeProvider _time;
    private readonly BanList _bans;
    private readonly long _heartbeatEmissionTicks;
    private readonly int _heartbeatBurst;

    public Leases(IOptions<DirectoryOptions> options, TimeProvider time, BanList bans)
    {
        var o = options.Value;
        _time = time;
        _bans = bans;
        Ttl = o.PresenceTtl;
        HeartbeatInterval = o.HeartbeatInterval;
        TtlTicks = o.PresenceTtl.Ticks;
        _heartbeatBurst = o.RateLimits.Enabled ? o.RateLimits.HeartbeatsPerInterval : 0;
        _heartbeatEmissionTicks = _heartbeatBurst > 0 ? o.HeartbeatInterval.Ticks / _heartbeatBurst : 0;
    }

    public TimeSpan Ttl { get; }

    public TimeSpan HeartbeatInterval { get; }

    public long TtlTicks { get; }

    /// <summary>Registered identities, live or overdue but not yet swept.</summary>
    public int Count => _records.Count;

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
        if (_heartbeatBurst > 0 && record.IsLive(nowTicks, TtlTicks)
            && !record.TryTakeHeartbeatSlot(nowTicks, _heartbeatEmissionTicks, _heartbeatBurst, out var waitTicks))
        {
            retryAfter = TimeSpan.FromTicks(waitTicks);
            return HeartbeatOutcome.RateLimited;
        }

        return record.TryRenew(nowTicks, TtlTicks) ? HeartbeatOutcome.Renewed : HeartbeatOutcome.NotFound;
    }

    /// <summary>Checks a lease without renewing it (for metrics reports).</summary>
    public HeartbeatOutcome Check(ReadOnlySpan<byte> identityKey, ReadOnlySpan<byte> leaseToken) => Check(identityKey, leaseToken, out _);

    /// <summary>Checks a lease without renewing it; <paramref name="record"/> is the node's record when it is found.</summary>
    public HeartbeatOutcome Check(ReadOnlySpan<byte> identityKey, ReadOnlySpan<byte> leaseToken, out NodeRecord? record)
    {
        record = null;
        if (!NodeId.TryRead(identityKey, out var id))
        {
            return HeartbeatOutcome.NotFound;
        }

        if (!_records.TryGetValue(id, out record))
        {
            return _bans.IsBanned(id) ? HeartbeatOutcome.Banned : HeartbeatOutcome.NotFound;
        }

        if (!record.TokenMatches(leaseToken))
        {
            return HeartbeatOutcome.WrongToken;
        }

        return record.IsLive(_time.GetUtcNow().UtcTicks, TtlTicks) ? HeartbeatOutcome.Renewed : HeartbeatOutcome.NotFound;
    }

    /// <summary>Every registered record, enumerated without locks (for the replay-mark writer).</summary>
    public IEnumerable<NodeRecord> All()
    {
        foreach (var (_, record) in _records)
        {
            yield return record;
        }
    }

    /// <summary>Looks up a registered node whose lease is live.</summary>
    public NodeRecord? Find(ReadOnlySpan<byte> identityKey)
    {
        if (!NodeId.TryRead(identityKey, out var id) || !_records.TryGetValue(id, out var record))
        {
            return null;
        }

        return record.IsLive(_time.GetUtcNow().UtcTicks, TtlTicks) ? record : null;
    }

    /// <summary>The record of <paramref name="id"/>, live or not.</summary>
    public bool TryGet(NodeId id, out NodeRecord record) => _records.TryGetValue(id, out record!);

    /// <summary>Records whose lease ran out by <paramref name="nowTicks"/>.</summary>
    public List<NodeRecord>? Overdue(long nowTicks)
    {
        List<NodeRecord>? due = null;
        foreach (var (_, record) in _records)
        {
            if (!record.IsLive(nowTicks, TtlTicks))
            {
                (due ??= []).Add(record);
            }
        }

        return due;
    }

    /// <summary>Adds or replaces the record of its identity. Only the registry's writer calls this.</summary>
    public void Put(NodeRecord record) => _records[record.Id] = record;

    /// <summary>Removes exactly this record, not a newer one of the same identity.</summary>
    public bool Remove(NodeRecord record) => _records.TryRemove(new KeyValuePair<NodeId, NodeRecord>(record.Id, record));
}
