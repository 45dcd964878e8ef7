using System.Collections.Immutable;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Domain;

/// <summary>
/// The membership of the topology at one version. Immutable, so a reader gets a consistent
/// version and node set from one volatile read, without a lock.
/// </summary>
internal sealed record TopologyState(ulong Version, ImmutableDictionary<NodeId, NodeDescriptor> Nodes);
