using Mixnet.Directory.Client;
using Mixnet.Directory.Client.Internal;
using static Mixnet.Directory.Tests.Sdk.SdkTestData;

namespace Mixnet.Directory.Tests.Sdk;

public sealed class RouteSelectionTests
{
    private static Topology Network(int perLayer, int gateways)
    {
        var nodes = new List<Mixnet.Directory.V1.NodeDescriptor>();
        var n = 1;
        for (uint layer = 1; layer <= 3; layer++)
        {
            for (var i = 0; i < perLayer; i++)
            {
                nodes.Add(Mixnode(n++, layer));
            }
        }

        for (var i = 0; i < gateways; i++)
        {
            nodes.Add(Gateway(n++));
        }

        return ProtoMapping.ToTopology(Snapshot(7, [.. nodes]));
    }

    [Test]
    public void SelectRoute_FullNetwork_OneMixnodePerLayerInOrderAndGatewaysAtEnds()
    {
        var topology = Network(perLayer: 4, gateways: 3);
        for (var seed = 0; seed < 50; seed++)
        {
            var route = DirectoryClient.SelectRoute(topology, new Random(seed));
            Assert.That(route.Mixnodes.Select(m => m.Layer), Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(route.Mixnodes.All(m => m.Role == NodeRole.Mixnode), Is.True);
            Assert.That(route.Entry.Role, Is.EqualTo(NodeRole.Gateway));
            Assert.That(route.Exit.Role, Is.EqualTo(NodeRole.Gateway));
            Assert.That(route.Hops, Has.Count.EqualTo(5));
        }
    }

    [Test]
    public void SelectRoute_ManyDraws_EachMixnodeOfALayerChosenUniformly()
    {
        const int perLayer = 5;
        const int draws = 50_000;
        var topology = Network(perLayer, gateways: 2);
        var random = new Random(12345);
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < draws; i++)
        {
            foreach (var node in DirectoryClient.SelectRoute(topology, random).Mixnodes)
            {
                counts[node.IdentityHex] = counts.GetValueOrDefault(node.IdentityHex) + 1;
            }
        }

        Assert.That(counts, Has.Count.EqualTo(3 * perLayer), "every mixnode is chosen sometimes");
        const double expected = (double)draws / perLayer;
        for (var layer = 1; layer <= 3; layer++)
        {
            var chiSquare = topology.GetLayer(layer).Sum(n => Math.Pow(counts[n.IdentityHex] - expected, 2) / expected);

            // 4 degrees of freedom: p = 0.001 at 18.47. A biased pick (e.g. never the last node) is in the thousands.
            Assert.That(chiSquare, Is.LessThan(18.47), $"layer {layer}");
        }
    }

    [Test]
    public void SelectRoute_SameSeed_SameRoute()
    {
        var topology = Network(perLayer: 10, gateways: 5);
        var a = DirectoryClient.SelectRoute(topology, new Random(99));
        var b = DirectoryClient.SelectRoute(topology, new Random(99));
        Assert.That(b.Hops.Select(h => h.IdentityHex), Is.EqualTo(a.Hops.Select(h => h.IdentityHex)));
    }

    [Test]
    public void SelectRoute_EmptyLayer_ThrowsNamingTheLayer()
    {
        var topology = ProtoMapping.ToTopology(Snapshot(3, Mixnode(1, 1), Mixnode(2, 3), Gateway(3)));
        var ex = Assert.Throws<InvalidOperationException>(() => DirectoryClient.SelectRoute(topology, new Random(1)));
        Assert.That(ex!.Message, Does.Contain("layer-2"));
    }

    [Test]
    public void SelectRoute_NoGateways_Throws()
    {
        var topology = ProtoMapping.ToTopology(Snapshot(3, Mixnode(1, 1), Mixnode(2, 2), Mixnode(3, 3)));
        var ex = Assert.Throws<InvalidOperationException>(() => DirectoryClient.SelectRoute(topology));
        Assert.That(ex!.Message, Does.Contain("gateway"));
    }

    [Test]
    public void SelectRoute_WithExclusions_NeverPicksAnExcludedNode()
    {
        var topology = Network(perLayer: 2, gateways: 2);
        var excluded = new[] { topology.GetLayer(1)[0].IdentityKey, topology.Gateways[1].IdentityKey };
        for (var seed = 0; seed < 200; seed++)
        {
            var route = DirectoryClient.SelectRoute(topology, new Random(seed), excluded);
            Assert.That(route.Layer1.IdentityHex, Is.EqualTo(topology.GetLayer(1)[1].IdentityHex));
            Assert.That(route.Entry.IdentityHex, Is.EqualTo(topology.Gateways[0].IdentityHex));
            Assert.That(route.Exit.IdentityHex, Is.EqualTo(topology.Gateways[0].IdentityHex));
        }
    }

    [Test]
    public void SelectRoute_WholeLayerExcluded_Throws()
    {
        var topology = Network(perLayer: 1, gateways: 1);
        Assert.Throws<InvalidOperationException>(() => DirectoryClient.SelectRoute(topology, null, [topology.GetLayer(3)[0].IdentityKey]));
    }
}
