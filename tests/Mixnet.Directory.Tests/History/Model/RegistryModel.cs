using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.History.Model;

/// <summary>
/// What the registry should hold, as plain collections: the nodes it has a record of, the banned
/// identities, and the newest signed_at it ever accepted per node. That last one is the replay rule:
/// whichever way a node left (deregister, expiry, ban, replaced by a newer registration), a
/// registration signed no later than one already accepted is refused.
/// </summary>
internal sealed class RegistryModel(TimeSpan ttl, TimeSpan maxClockSkew)
{
    private readonly Dictionary<int, DateTimeOffset> _newestSignedAt = [];

    public Dictionary<int, ModelEntry> Nodes { get; } = [];

    public HashSet<int> Banned { get; } = [];

    public (string Outcome, bool Changed) Register(int node, NodeDescriptor descriptor, DateTimeOffset now)
    {
        var signedAt = descriptor.SignedAt.ToDateTimeOffset();
        if ((signedAt - now).Duration() > maxClockSkew)
        {
            return ("FailedPrecondition", false);
        }

        if (Banned.Contains(node))
        {
            return ("PermissionDenied", false);
        }

        if (_newestSignedAt.TryGetValue(node, out var newest) && signedAt <= newest)
        {
            return ("FailedPrecondition", false);
        }

        _newestSignedAt[node] = signedAt;

        // Same fields with a newer signed_at renews the lease but publishes nothing new.
        var changed = !Nodes.TryGetValue(node, out var existing) || !SameExceptSignedAt(existing.Published, descriptor);
        Nodes[node] = new ModelEntry(changed ? descriptor : existing!.Published, signedAt, now);
        return (RegistryUnderTest.Accepted, changed);
    }

    public string Heartbeat(int node, DateTimeOffset now)
    {
        if (!Nodes.TryGetValue(node, out var entry))
        {
            return Banned.Contains(node) ? "Banned" : "NotFound";
        }

        if (!IsLive(entry, now))
        {
            return "NotFound";
        }

        Nodes[node] = entry with { LastSeen = now };
        return "Renewed";
    }

    public (string Outcome, bool Changed) Deregister(int node, DateTimeOffset now)
    {
        if (!Nodes.TryGetValue(node, out var entry) || !IsLive(entry, now))
        {
            return ("NotFound", false);
        }

        Nodes.Remove(node);
        return (RegistryUnderTest.Removed, true);
    }

    public bool Ban(int node)
    {
        Banned.Add(node);
        return Nodes.Remove(node);
    }

    public void Unban(int node) => Banned.Remove(node);

    /// <returns>How many nodes the sweep drops.</returns>
    public int Sweep(DateTimeOffset now)
    {
        var due = Nodes.Where(n => !IsLive(n.Value, now)).Select(n => n.Key).ToList();
        foreach (var node in due)
        {
            Nodes.Remove(node);
        }

        return due.Count;
    }

    public override string ToString() =>
        $"{{{string.Join(", ", Nodes.OrderBy(n => n.Key).Select(n => $"n{n.Key}: v{n.Value.Published.Version} seen {n.Value.LastSeen:HH:mm:ss}"))}}} banned {{{string.Join(", ", Banned.Order().Select(b => $"n{b}"))}}}";

    private bool IsLive(ModelEntry entry, DateTimeOffset now) => now - entry.LastSeen <= ttl;

    private static bool SameExceptSignedAt(NodeDescriptor a, NodeDescriptor b)
    {
        var restamped = b.Clone();
        restamped.SignedAt = a.SignedAt;
        return a.Equals(restamped);
    }
}
