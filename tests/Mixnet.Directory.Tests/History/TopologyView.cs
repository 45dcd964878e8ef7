using Google.Protobuf;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.History;

/// <summary>What one observation showed: a version and, when known, its nodes by identity key.</summary>
public sealed record TopologyView(ulong Version, IReadOnlyDictionary<ByteString, NodeDescriptor>? Nodes)
{
    public bool SameNodesAs(TopologyView other) =>
        Nodes is not null && other.Nodes is not null && Nodes.Count == other.Nodes.Count
        && Nodes.All(n => other.Nodes.TryGetValue(n.Key, out var d) && d.Equals(n.Value));

    public string Describe() => Nodes is null
        ? $"v{Version} (nodes unknown)"
        : $"v{Version} {{{string.Join(", ", Nodes.OrderBy(n => HistoryFormat.Node(n.Key), StringComparer.Ordinal).Select(n => $"{HistoryFormat.Node(n.Key)}: {HistoryFormat.Descriptor(n.Value)}"))}}}";
}
