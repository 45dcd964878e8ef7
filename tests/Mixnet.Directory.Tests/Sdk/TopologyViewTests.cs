using Mixnet.Directory.Client;
using Mixnet.Directory.Client.Internal;
using static Mixnet.Directory.Tests.Sdk.SdkTestData;

namespace Mixnet.Directory.Tests.Sdk;

public sealed class TopologyViewTests
{
    [Test]
    public void TryApplyDelta_Contiguous_UpsertsReplacesAndRemoves()
    {
        var view = new TopologyView();
        view.ApplySnapshot(Snapshot(10, Mixnode(1, 1), Mixnode(2, 2), Gateway(3)));

        var update = view.TryApplyDelta(Delta(10, 11, [Mixnode(2, 2, version: "2.0.0"), Mixnode(4, 3)], Id(1)));

        Assert.That(update, Is.Not.Null);
        var topology = update!.Topology;
        Assert.That(topology.Version, Is.EqualTo(11));
        Assert.That(topology.Count, Is.EqualTo(3));
        Assert.That(topology.Find(Id(1)), Is.Null);
        Assert.That(topology.Find(Id(2))!.Version, Is.EqualTo("2.0.0"));
        Assert.That(topology.GetLayer(3).Single().IdentityKey.ToArray(), Is.EqualTo(Id(4)));
        Assert.That(topology.Gateways, Has.Count.EqualTo(1));
        Assert.That(update.Kind, Is.EqualTo(TopologyUpdateKind.Delta));
        Assert.That(update.Upserted, Has.Count.EqualTo(2));
        Assert.That(update.Removed.Single().IdentityKey.ToArray(), Is.EqualTo(Id(1)));
        Assert.That(view.KnownVersion, Is.EqualTo(11));
    }

    [Test]
    public void TryApplyDelta_PreviousTopology_IsNotChanged()
    {
        var view = new TopologyView();
        var before = view.ApplySnapshot(Snapshot(10, Mixnode(1, 1))).Topology;
        view.TryApplyDelta(Delta(10, 11, [], Id(1)));
        Assert.That(before.Find(Id(1)), Is.Not.Null);
        Assert.That(before.Count, Is.EqualTo(1));
    }

    [TestCase(9UL, 11UL)]
    [TestCase(11UL, 12UL)]
    [TestCase(10UL, 10UL)]
    public void TryApplyDelta_NotContiguous_ReturnsNullAndKeepsView(ulong from, ulong to)
    {
        var view = new TopologyView();
        view.ApplySnapshot(Snapshot(10, Mixnode(1, 1)));

        Assert.That(view.TryApplyDelta(Delta(from, to, [Mixnode(2, 2)])), Is.Null);
        Assert.That(view.KnownVersion, Is.EqualTo(10));
        Assert.That(view.Current!.Count, Is.EqualTo(1));
    }

    [Test]
    public void TryApplyDelta_BeforeAnySnapshot_ReturnsNull()
    {
        var view = new TopologyView();
        Assert.That(view.TryApplyDelta(Delta(0, 1, [Mixnode(2, 2)])), Is.Null);
        Assert.That(view.KnownVersion, Is.Zero);
    }

    [Test]
    public void ApplySnapshot_AfterAView_ReportsWhatChanged()
    {
        var view = new TopologyView();
        view.ApplySnapshot(Snapshot(10, Mixnode(1, 1), Mixnode(2, 2)));

        var update = view.ApplySnapshot(Snapshot(20, Mixnode(2, 2), Mixnode(3, 3)));

        Assert.That(update.Kind, Is.EqualTo(TopologyUpdateKind.Snapshot));
        Assert.That(update.Upserted.Select(n => n.IdentityHex), Is.EqualTo(new[] { Convert.ToHexStringLower(Id(3)) }));
        Assert.That(update.Removed.Select(n => n.IdentityHex), Is.EqualTo(new[] { Convert.ToHexStringLower(Id(1)) }));
    }
}
