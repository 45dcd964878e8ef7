namespace Mixnet.Directory.Client.Internal;

/// <summary>Choice of one node per layer and two gateways, weighted by the directory's quality scores.</summary>
internal static class RouteSelector
{
    public static Route Select(Topology topology, Random random, HashSet<KeyId>? excluded, RouteSelectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var entry = Pick(topology.Gateways, random, excluded, topology, options, "gateway");
        var l1 = Pick(topology.GetLayer(1), random, excluded, topology, options, "layer-1 mixnode");
        var l2 = Pick(topology.GetLayer(2), random, excluded, topology, options, "layer-2 mixnode");
        var l3 = Pick(topology.GetLayer(3), random, excluded, topology, options, "layer-3 mixnode");
        var exit = Pick(topology.Gateways, random, excluded, topology, options, "gateway");
        return new Route(entry, l1, l2, l3, exit);
    }

    private static NodeInfo Pick(IReadOnlyList<NodeInfo> nodes, Random random, HashSet<KeyId>? excluded, Topology topology, RouteSelectionOptions options, string what)
    {
        var usable = new List<(NodeInfo Node, double Reliability)>(nodes.Count);
        foreach (var node in nodes)
        {
            if (excluded is { Count: > 0 } && excluded.Contains(KeyId.From(node.IdentityKey.Span)))
            {
                continue;
            }

            var quality = topology.GetQuality(node.IdentityKey.Span);
            if (options.SkipExcluded && quality is { Excluded: true })
            {
                continue;
            }

            usable.Add((node, quality?.Reliability ?? 1));
        }

        if (usable.Count == 0)
        {
            throw new InvalidOperationException(
                $"Cannot build a route: topology version {topology.Version} has no {what}" + (nodes.Count > 0 ? " that is not excluded." : "."));
        }

        // Below the threshold only when nothing reaches it: a route through a weak node beats none.
        var candidates = usable.FindAll(c => c.Reliability >= options.MinReliability);
        if (candidates.Count == 0)
        {
            candidates = usable;
        }

        var weights = new double[candidates.Count];
        double total = 0;
        var uniform = true;
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = options.ReliabilityExponent == 0 ? 1 : Math.Pow(Math.Max(candidates[i].Reliability, 1e-6), options.ReliabilityExponent);
            total += weights[i];
            uniform &= weights[i] == weights[0];
        }

        if (uniform)
        {
            return candidates[random.Next(candidates.Count)].Node;
        }

        var x = random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0)
            {
                return candidates[i].Node;
            }
        }

        return candidates[^1].Node;
    }
}
