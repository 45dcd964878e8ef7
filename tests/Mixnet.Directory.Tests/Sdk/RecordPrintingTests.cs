using Mixnet.Directory.Client;
using Mixnet.Directory.Client.Internal;
using static Mixnet.Directory.Tests.Sdk.SdkTestData;

namespace Mixnet.Directory.Tests.Sdk;

/// <summary>Public records print keys as hex, not as <c>System.ReadOnlyMemory&lt;Byte&gt;[32]</c>.</summary>
public sealed class RecordPrintingTests
{
    private static readonly NodeInfo Gateway = ProtoMapping.ToNodeInfo(SdkTestData.Gateway(0x0102));
    private static readonly NodeInfo Mixnode = ProtoMapping.ToNodeInfo(SdkTestData.Mixnode(0x0304, 2));

    [Test]
    public void Route_ToString_NamesEveryHopByKeyPrefixAndEndpoint()
    {
        var route = new Route(Gateway, Mixnode, Mixnode, Mixnode, Gateway);

        var text = route.ToString();

        Assert.That(text, Does.Not.Contain("System."));
        Assert.That(text, Does.Contain("Entry = 01020000 gateway 10.0.1.2:1789"));
        Assert.That(text, Does.Contain("Layer2 = 03040000 mixnode L2 10.0.3.4:1789"));
    }

    [Test]
    public void NodeInfo_ToString_PrintsKeysAsHexPrefixes()
    {
        var text = Mixnode.ToString();

        Assert.That(text, Does.Not.Contain("System."));
        Assert.That(text, Does.StartWith("NodeInfo { IdentityKey = 03040000, SphinxKey = 2a140000, Role = Mixnode, Layer = 2, Host = 10.0.3.4"));
    }

    [Test]
    public void NodeTrafficAndDirectoryInfo_ToString_PrintHexAndFingerprint()
    {
        var traffic = new NodeTraffic(Id(0x0506), 7, 9);
        var info = new Mixnet.Directory.Client.DirectoryInfo(Id(1), "SHA256:abc", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), "0.1.0");

        Assert.That(traffic.ToString(), Is.EqualTo("NodeTraffic { IdentityKey = 05060000, Sent = 7, Received = 9 }"));
        Assert.That(info.ToString(), Does.Contain("Fingerprint = SHA256:abc").And.Not.Contain("System."));
    }

    [Test]
    public void MetricsFrameAndTopologyUpdate_ToString_PrintCountsNotTypeNames()
    {
        var frame = new MetricsFrame(Epoch, TimeSpan.FromSeconds(1), [new NodeTraffic(Id(1), 1, 1), new NodeTraffic(Id(2), 2, 2)], 3, 3, 2, 0);
        var update = new TopologyView().ApplySnapshot(Snapshot(4, SdkTestData.Mixnode(1, 1)));

        Assert.That(frame.ToString(), Does.Contain("Nodes = 2,").And.Not.Contain("System."));
        Assert.That(update.ToString(), Does.Contain("Topology = Topology v4: 1 mixnodes, 0 gateways").And.Contain("Upserted = 0").And.Not.Contain("System."));
    }
}
