namespace Mixnet.Directory.Server.Registry;

/// <summary>
/// Refuses a registration that is not newer than the identity's last one: the signed_at of the
/// current record, or the high-water mark an identity left behind when it was removed (by
/// deregistration, expiry, ban or replacement), kept for the clock-skew window after which the
/// skew check refuses an old descriptor anyway. Only the registry's writer calls it.
/// </summary>
internal sealed class ReplayGuard(TimeSpan maxClockSkew)
{
    private readonly Dictionary<NodeId, DateTimeOffset> _departed = [];

    public int Count => _departed.Count;

    /// <summary>True when a descriptor signed at <paramref name="signedAt"/> is a replay or out of order.</summary>
    public bool IsReplay(NodeId id, DateTimeOffset signedAt, NodeRecord? current) =>
        current is not null
            ? current.SignedAt >= signedAt
            : _departed.TryGetValue(id, out var mark) && mark >= signedAt;

    /// <summary>Keeps the high-water mark of a record that leaves.</summary>
    public void Departed(NodeRecord record)
    {
        if (!_departed.TryGetValue(record.Id, out var mark) || mark < record.SignedAt)
        {
            _departed[record.Id] = record.SignedAt;
        }
    }

    /// <summary>The identity has a current record again, which is the mark from now on.</summary>
    public void Registered(NodeId id) => _departed.Remove(id);

    /// <summary>Drops marks older than the skew window: the skew check refuses such descriptors.</summary>
    public void Forget(DateTimeOffset now)
    {
        var horizon = now - maxClockSkew;
        foreach (var (id, signedAt) in _departed)
        {
            if (signedAt < horizon)
            {
                _departed.Remove(id);
            }
        }
    }
}
