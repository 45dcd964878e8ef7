namespace Mixnet.Directory.Client.Internal;

/// <summary>Uniform choice of one node per layer and two gateways.</summary>
internal static class RouteSelector
{
    public static Route Select(Topology topology, Random random, HashSet<KeyId>? excluded)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var entry = Pick(topology.Gateways, random, excluded, topology, "gateway");
        var l1 = Pick(topology.GetLayer(1), random, excluded, topology, "layer-1 mixnode");
        var l2 = Pick(topology.GetLayer(2), random, excluded, topology, "layer-2 mixnode");
        var l3 = Pick(topology.GetLayer(3), random, excluded, topology, "layer-3 mixnode");
        var exit = Pick(topology.Gateways, random, excluded, topology, "gateway");
        return new Route(entry, l1, l2, l3, exit);
    }

    private static NodeInfo Pick(IReadOnlyList<NodeInfo> nodes, Random random, HashSet<KeyId>? excluded, Topology topology, string what)
    {
        IReadOnlyList<NodeInfo> candidates = nodes;
        if (excluded is { Count: > 0 })
        {
            var kept = new List<NodeInfo>(nodes.Count);
            foreach (var node in nodes)
            {
                if (!excluded.Contains(KeyId.From(node.IdentityKey.Span)))
                {
                    kept.Add(node);
                }
            }

            candidates = kept;
        }

        if (candidates.Count == 0)
        {
            throw new InvalidOperationException(
                $"Cannot build a route: topology version {topology.Version} has no {what}" + (excluded is { Count: > 0 } ? " that is not excluded." : "."));
        }

        return candidates[random.Next(candidates.Count)];
    }
}
