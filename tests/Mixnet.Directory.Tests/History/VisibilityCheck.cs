using Google.Protobuf;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.History;

/// <summary>
/// For every read (a fetch, or a watch's first snapshot) and every node: the node's presence and
/// descriptor must be the effect of some membership write that could be the node's latest at that
/// read. A write acknowledged before the read started is certain; one that overlaps the read may
/// or may not be seen; one that was superseded by a write acknowledged before the read is gone.
/// A registration may also have expired once its proven-live time plus the TTL has passed, and
/// must have expired (and been swept) once its last possible renewal plus the TTL, a sweep and
/// a grace for scheduling have passed.
/// </summary>
internal sealed class VisibilityCheck
{
    private readonly RecordedHistory _history;
    private readonly IReadOnlyDictionary<int, TopologyView> _views;
    private readonly List<Violation> _violations;
    private readonly Dictionary<ByteString, WriteOp[]> _membership;
    private readonly Dictionary<int, TimeSpan> _liveUntilAtLeast = [];
    private readonly Dictionary<int, TimeSpan> _goneBy = [];

    public VisibilityCheck(RecordedHistory history, IReadOnlyDictionary<int, TopologyView> views, List<Violation> violations)
    {
        _history = history;
        _views = views;
        _violations = violations;

        // A refused request changes nothing, so only acknowledged and unknown writes can explain a read.
        _membership = history.Writes
            .Where(w => w.ChangesMembership && w.Outcome != WriteOutcome.Refused)
            .GroupBy(w => w.Node)
            .ToDictionary(g => g.Key, g => g.OrderBy(w => w.Invoked).ToArray());
        foreach (var register in history.Writes.Where(w => w is { Kind: WriteKind.Register, Outcome: not WriteOutcome.Refused }))
        {
            var renewals = history.Writes.Where(w => w.Kind == WriteKind.Heartbeat && w.Lease == register.Id && w.Outcome != WriteOutcome.Refused).ToList();

            // An acknowledged renewal proves the lease was live when the server handled it (after the
            // client invoked it): a heartbeat never revives a lapsed lease.
            var proven = renewals.Where(r => r.Outcome == WriteOutcome.Ok).Select(r => r.Invoked).Append(register.Invoked).Max();
            _liveUntilAtLeast[register.Id] = proven + history.Rules.Ttl - history.Rules.ClockSlack;

            // The server renewed no later than each response; an unanswered renewal may land any time.
            var last = renewals.Append(register).Select(r => r.Completed ?? TimeSpan.MaxValue).Max();
            _goneBy[register.Id] = last == TimeSpan.MaxValue
                ? TimeSpan.MaxValue
                : last + history.Rules.Ttl + history.Rules.SweepInterval + history.Rules.ExpiryGrace;
        }
    }

    public void Run()
    {
        var universe = _history.Writes.Select(w => w.Node).ToHashSet();
        foreach (var read in _history.Observations.Where(o => o.IsRead))
        {
            if (!_views.TryGetValue(read.Id, out var view) || view.Nodes is null)
            {
                continue;
            }

            foreach (var listed in view.Nodes.Keys.Where(k => !universe.Contains(k)))
            {
                Add(Invariants.Visibility, $"{read} lists {HistoryFormat.Node(listed)}, which no client ever registered");
            }

            foreach (var node in universe)
            {
                CheckNode(read, view, node);
            }
        }

        AcknowledgedVersionsListTheirWrite();
    }

    /// <summary>
    /// A register acknowledged with topology_version V is in version V itself, whenever and by whom
    /// V was seen: every membership change gets its own version, so no later write can share it.
    /// </summary>
    private void AcknowledgedVersionsListTheirWrite()
    {
        var byVersion = new Dictionary<ulong, TopologyView>();
        foreach (var view in _views.Values.Where(v => v.Nodes is not null))
        {
            byVersion.TryAdd(view.Version, view);
        }

        foreach (var register in _history.Writes.Where(w => w is { Kind: WriteKind.Register, Outcome: WriteOutcome.Ok, Version: not null, Descriptor: not null }))
        {
            if (byVersion.TryGetValue(register.Version!.Value, out var view)
                && !(view.Nodes!.TryGetValue(register.Node, out var listed) && Matches(listed, register.Descriptor!)))
            {
                Add(Invariants.Visibility, $"{register} was acknowledged at v{register.Version}, but v{register.Version} lists the node as {HistoryFormat.Descriptor(listed)}");
            }
        }
    }

    private void CheckNode(Observation read, TopologyView view, ByteString node)
    {
        var writes = _membership.GetValueOrDefault(node) ?? [];

        // Writes acknowledged before the read started are in its past; anything that finished
        // before one of them started was overwritten by it.
        var barrier = writes.Where(w => w.Outcome == WriteOutcome.Ok && w.Completed < read.Invoked).Select(w => (TimeSpan?)w.Invoked).Max();
        var candidates = writes.Where(w => w.Invoked < read.Completed && !(w.Completed < barrier)).ToList();
        var absentAllowed = barrier is null;
        var presentAllowed = new List<WriteOp>();
        var expiredButListed = new List<WriteOp>();
        foreach (var write in candidates)
        {
            if (write.Kind != WriteKind.Register)
            {
                absentAllowed = true;
                continue;
            }

            if (_liveUntilAtLeast[write.Id] < read.Completed)
            {
                absentAllowed = true;
            }

            if (read.Invoked > _goneBy[write.Id])
            {
                expiredButListed.Add(write);
            }
            else
            {
                presentAllowed.Add(write);
            }
        }

        var actual = view.Nodes!.GetValueOrDefault(node);
        if (actual is null)
        {
            if (!absentAllowed)
            {
                Add(Invariants.Visibility, $"{read} ({view.Describe()}) omits {HistoryFormat.Node(node)}; it could only be {Explain(presentAllowed)}");
            }

            return;
        }

        if (presentAllowed.Any(w => Matches(actual, w.Descriptor!)))
        {
            return;
        }

        var invariant = expiredButListed.Any(w => Matches(actual, w.Descriptor!)) ? Invariants.Expiry : Invariants.Visibility;
        Add(invariant, $"{read} lists {HistoryFormat.Node(node)} as {HistoryFormat.Descriptor(actual)}; it could only be "
            + $"{(absentAllowed ? "absent" : string.Empty)}{(absentAllowed && presentAllowed.Count > 0 ? " or " : string.Empty)}{Explain(presentAllowed)}"
            + (expiredButListed.Count > 0 ? $" (silent past TTL + sweep + grace: {string.Join("; ", expiredButListed)})" : string.Empty)
            + $". Writes to the node: {string.Join("; ", writes.Where(w => w.Invoked < read.Completed).TakeLast(4))}");
    }

    /// <summary>
    /// The acknowledged descriptor, or an earlier one with the same fields: a re-registration that
    /// changes nothing but signed_at renews the lease without a new topology version (DESIGN.md §2).
    /// </summary>
    private static bool Matches(NodeDescriptor actual, NodeDescriptor acknowledged)
    {
        if (actual.Equals(acknowledged))
        {
            return true;
        }

        var restamped = actual.Clone();
        restamped.SignedAt = acknowledged.SignedAt;
        return restamped.Equals(acknowledged) && actual.SignedAt.ToDateTimeOffset() <= acknowledged.SignedAt.ToDateTimeOffset();
    }

    private static string Explain(List<WriteOp> registers) =>
        registers.Count == 0 ? string.Empty : string.Join(" or ", registers.Select(w => $"{HistoryFormat.Descriptor(w.Descriptor)} from {w}"));

    private void Add(string invariant, string detail) => _violations.Add(new Violation(invariant, detail));
}
