using System.Collections.Immutable;
using Mixnet.Directory.Server.Quality;
using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Server.Topology;

/// <summary>
/// The membership of the topology at one version. Immutable, so a reader gets a consistent
/// version and node set from one volatile read, without a lock. Each value is the record whose
/// descriptor is published: a re-registration that changes the descriptor puts its new record
/// there, but one that changes only signed_at leaves the earlier record (with its ended lease) in
/// place, so read descriptors here, not lease state.
/// </summary>
/// <param name="Version">The version.</param>
/// <param name="Nodes">The listed nodes.</param>
/// <param name="Quality">Published quality by identity; may hold nodes that are not listed (only listed ones are published).</param>
internal sealed record TopologyState(ulong Version, ImmutableDictionary<NodeId, NodeRecord> Nodes, ImmutableDictionary<NodeId, PublishedQuality> Quality)
{
    public TopologyState(ulong version, ImmutableDictionary<NodeId, NodeRecord> nodes)
        : this(version, nodes, ImmutableDictionary<NodeId, PublishedQuality>.Empty)
    {
    }
}
