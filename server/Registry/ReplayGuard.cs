namespace Mixnet.Directory.Server.Registry;

/// <summary>
/// Refuses a registration that is not newer than the identity's last one: the signed_at of the
/// current record, or the high-water mark of its last accepted registration, kept for the
/// clock-skew window after which the skew check refuses an old descriptor anyway. The marks
/// outlive a restart (<see cref="ReplayMarkFile"/>), and after a restart a descriptor signed before
/// the restart is refused too (<see cref="Floor"/>): that covers registrations accepted after the
/// last write of the file. Only the registry's writer calls it.
/// </summary>
internal sealed class ReplayGuard(TimeSpan maxClockSkew)
{
    // Only identities without a current record: a live identity's mark is its record's signed_at,
    // so the guard costs nothing per live node.
    private readonly Dictionary<NodeId, DateTimeOffset> _marks = [];

    public int Count => _marks.Count;

    /// <summary>Descriptors signed before this are refused (the start of this run, when an earlier run left marks).</summary>
    public DateTimeOffset Floor { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>Changes with every mark added or dropped, so the writer knows when to save.</summary>
    public long Changes { get; private set; }

    /// <summary>True when a descriptor signed at <paramref name="signedAt"/> is a replay or out of order.</summary>
    public bool IsReplay(NodeId id, DateTimeOffset signedAt, NodeRecord? current) =>
        signedAt < Floor
        || (current is not null
            ? current.SignedAt >= signedAt
            : _marks.TryGetValue(id, out var mark) && mark >= signedAt);

    /// <summary>The identity has a current record again, which is the mark from now on.</summary>
    public void Registered(NodeId id)
    {
        _marks.Remove(id);
        Changes++;
    }

    /// <summary>Keeps the high-water mark of a record that leaves.</summary>
    public void Departed(NodeRecord record) => Keep(record.Id, record.SignedAt);

    /// <summary>Drops marks older than the skew window: the skew check refuses such descriptors.</summary>
    public void Forget(DateTimeOffset now)
    {
        var horizon = now - maxClockSkew;
        foreach (var (id, signedAt) in _marks)
        {
            if (signedAt < horizon)
            {
                _marks.Remove(id);
                Changes++;
            }
        }
    }

    /// <summary>Takes the marks an earlier run left, and refuses from now on anything signed before <paramref name="floor"/>.</summary>
    public void Restore(IEnumerable<KeyValuePair<NodeId, DateTimeOffset>> marks, DateTimeOffset floor)
    {
        foreach (var (id, signedAt) in marks)
        {
            Keep(id, signedAt);
        }

        Floor = floor;
    }

    /// <summary>A copy of the marks of identities without a current record, for the file.</summary>
    public List<KeyValuePair<NodeId, DateTimeOffset>> Snapshot() => [.. _marks];

    private void Keep(NodeId id, DateTimeOffset signedAt)
    {
        if (!_marks.TryGetValue(id, out var mark) || mark < signedAt)
        {
            _marks[id] = signedAt;
            Changes++;
        }
    }
}
