using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Client.Internal;

/// <summary>
/// A watcher's view of the topology, with no network: snapshots replace it, deltas apply only
/// when contiguous (<c>from_version</c> equals the current version).
/// </summary>
internal sealed class TopologyView
{
    public Topology? Current { get; private set; }

    /// <summary>The version to send as <c>known_version</c> on a (re)watch; 0 asks for a snapshot.</summary>
    public ulong KnownVersion => Current?.Version ?? 0;

    public void Reset() => Current = null;

    public TopologyUpdate ApplySnapshot(TopologySnapshot snapshot)
    {
        var next = ProtoMapping.ToTopology(snapshot);
        var update = Difference(Current, next);
        Current = next;
        return update;
    }

    /// <summary>A snapshot update from <paramref name="previous"/> (null: nothing listed as changed) to <paramref name="next"/>.</summary>
    public static TopologyUpdate Difference(Topology? previous, Topology next)
    {
        var upserted = new List<NodeInfo>();
        var removed = new List<NodeInfo>();
        if (previous is not null)
        {
            foreach (var (id, node) in next.Nodes)
            {
                if (!previous.Nodes.TryGetValue(id, out var before) || !before.Equals(node))
                {
                    upserted.Add(node);
                }
            }

            foreach (var (id, node) in previous.Nodes)
            {
                if (!next.Nodes.ContainsKey(id))
                {
                    removed.Add(node);
                }
            }
        }

        return new TopologyUpdate(next, TopologyUpdateKind.Snapshot, upserted, removed);
    }

    /// <summary>Applies a contiguous delta.</summary>
    /// <returns>The update, or null when the delta does not follow the current version (the caller must resync).</returns>
    public TopologyUpdate? TryApplyDelta(TopologyDelta delta)
    {
        var current = Current;
        if (current is null || delta.FromVersion != current.Version || delta.ToVersion <= delta.FromVersion)
        {
            return null;
        }

        var nodes = current.Nodes.ToBuilder();
        var upserted = new List<NodeInfo>(delta.Upserted.Count);
        var removed = new List<NodeInfo>(delta.Removed.Count);
        foreach (var descriptor in delta.Upserted)
        {
            if (descriptor.IdentityKey.Length != DirectorySignatures.PublicKeySize)
            {
                continue;
            }

            var node = ProtoMapping.ToNodeInfo(descriptor);
            nodes[KeyId.From(descriptor.IdentityKey.Span)] = node;
            upserted.Add(node);
        }

        foreach (var key in delta.Removed)
        {
            if (key.Length == DirectorySignatures.PublicKeySize && nodes.Remove(KeyId.From(key.Span), out var gone))
            {
                removed.Add(gone);
            }
        }

        var quality = current.Quality.ToBuilder();
        foreach (var node in removed)
        {
            quality.Remove(KeyId.From(node.IdentityKey.Span));
        }

        foreach (var q in delta.Quality)
        {
            if (q.IdentityKey.Length == DirectorySignatures.PublicKeySize && nodes.ContainsKey(KeyId.From(q.IdentityKey.Span)))
            {
                quality[KeyId.From(q.IdentityKey.Span)] = ProtoMapping.ToNodeQuality(q);
            }
        }

        var next = new Topology(delta.ToVersion, delta.IssuedAt?.ToDateTimeOffset() ?? current.IssuedAt, nodes.ToImmutable(), quality.ToImmutable());
        Current = next;
        return new TopologyUpdate(next, TopologyUpdateKind.Delta, upserted, removed);
    }
}
