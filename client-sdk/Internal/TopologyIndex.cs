namespace Mixnet.Directory.Client.Internal;

/// <summary>The per-role and per-layer lists of a topology, sorted by identity key so that a seeded route choice repeats.</summary>
internal sealed class TopologyIndex
{
    public TopologyIndex(IEnumerable<NodeInfo> nodes)
    {
        var gateways = new List<NodeInfo>();
        var layers = new List<NodeInfo>[Topology.LayerCount + 1];
        for (var i = 0; i < layers.Length; i++)
        {
            layers[i] = [];
        }

        foreach (var node in nodes)
        {
            if (node.Role == NodeRole.Gateway)
            {
                gateways.Add(node);
            }
            else if (node.Layer is >= 1 and <= Topology.LayerCount)
            {
                layers[node.Layer].Add(node);
            }
        }

        Comparison<NodeInfo> byKey = static (x, y) => x.IdentityKey.Span.SequenceCompareTo(y.IdentityKey.Span);
        gateways.Sort(byKey);
        var mixnodes = new List<NodeInfo>();
        foreach (var layer in layers)
        {
            layer.Sort(byKey);
            mixnodes.AddRange(layer);
        }

        Gateways = gateways;
        Mixnodes = mixnodes;
        Layers = layers;
    }

    public IReadOnlyList<NodeInfo> Gateways { get; }

    public IReadOnlyList<NodeInfo> Mixnodes { get; }

    /// <summary>Index 1..3 are the layers; index 0 is unused.</summary>
    public IReadOnlyList<NodeInfo>[] Layers { get; }
}
