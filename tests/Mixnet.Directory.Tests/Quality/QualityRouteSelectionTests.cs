using Google.Protobuf;
using Mixnet.Directory.Client;
using Mixnet.Directory.Client.Internal;
using static Mixnet.Directory.Tests.Sdk.SdkTestData;

namespace Mixnet.Directory.Tests.Quality;

public sealed class QualityRouteSelectionTests
{
    // Layer 1 (nodes 1..4) carries the given scores; layers 2 and 3 one unscored node each.
    private static Topology Network(params (double Reliability, bool Excluded)[] layer1)
    {
        var snapshot = Snapshot(7, Mixnode(1, 1), Mixnode(2, 1), Mixnode(3, 1), Mixnode(4, 1), Mixnode(5, 2), Mixnode(6, 3), Gateway(7));
        for (var i = 0; i < layer1.Length; i++)
        {
            snapshot.Quality.Add(new Mixnet.Directory.V1.NodeQuality
            {
                IdentityKey = ByteString.CopyFrom(Id(i + 1)),
                Reliability = layer1[i].Reliability,
                Reliability24H = layer1[i].Reliability,
                Uptime = 1,
                Excluded = layer1[i].Excluded,
            });
        }

        return ProtoMapping.ToTopology(snapshot);
    }

    private static Dictionary<int, int> Draw(Topology topology, RouteSelectionOptions options, int draws = 40_000)
    {
        var random = new Random(4242);
        var counts = new Dictionary<int, int>();
        for (var i = 0; i < draws; i++)
        {
            var first = DirectoryClient.SelectRoute(topology, options, random).Mixnodes[0];
            var n = Enumerable.Range(1, 4).Single(k => first.IdentityKey.Span.SequenceEqual(Id(k)));
            counts[n] = counts.GetValueOrDefault(n) + 1;
        }

        return counts;
    }

    private static double ChiSquare(Dictionary<int, int> counts, double[] expectedShares, int draws = 40_000) =>
        expectedShares.Select((share, i) => Math.Pow(counts.GetValueOrDefault(i + 1) - (share * draws), 2) / (share * draws)).Sum();

    [Test]
    public void SelectRoute_Default_SkipsExcludedAndBelowThreshold()
    {
        var topology = Network((1.0, false), (0.9, true), (0.4, false), (0.8, false));

        var counts = Draw(topology, RouteSelectionOptions.Default, 5_000);

        Assert.That(counts.Keys, Is.EquivalentTo(new[] { 1, 4 }));
    }

    [Test]
    public void SelectRoute_Default_WeightsByReliabilitySquared()
    {
        var topology = Network((1.0, false), (0.8, false), (0.6, false), (0.5, false));
        var weights = new[] { 1.0, 0.64, 0.36, 0.25 };
        var shares = weights.Select(w => w / weights.Sum()).ToArray();

        var counts = Draw(topology, RouteSelectionOptions.Default);

        // 3 degrees of freedom: p = 0.001 at 16.27. A uniform pick gives about 5,000 here.
        Assert.That(ChiSquare(counts, shares), Is.LessThan(16.27));
    }

    [Test]
    public void SelectRoute_Uniform_IgnoresScores()
    {
        var topology = Network((1.0, false), (0.8, true), (0.1, false), (0.5, false));

        var counts = Draw(topology, RouteSelectionOptions.Uniform);

        Assert.That(ChiSquare(counts, [0.25, 0.25, 0.25, 0.25]), Is.LessThan(16.27));
    }

    [Test]
    public void SelectRoute_UnscoredNodes_CountAsReliable()
    {
        var topology = Network((0.5, false)); // nodes 2..4 unscored
        var shares = new[] { 0.25 / 3.25, 1 / 3.25, 1 / 3.25, 1 / 3.25 };

        var counts = Draw(topology, RouteSelectionOptions.Default);

        Assert.That(ChiSquare(counts, shares), Is.LessThan(16.27));
    }

    [Test]
    public void SelectRoute_NothingReachesThreshold_FallsBackToTheNodesNotExcluded()
    {
        var topology = Network((0.2, false), (0.3, true), (0.1, false), (0.2, true));

        var counts = Draw(topology, RouteSelectionOptions.Default, 2_000);

        Assert.That(counts.Keys, Is.EquivalentTo(new[] { 1, 3 }));
    }

    [Test]
    public void SelectRoute_EveryNodeExcluded_ThrowsNamingTheLayer()
    {
        var topology = Network((1, true), (1, true), (1, true), (1, true));

        var ex = Assert.Throws<InvalidOperationException>(() => DirectoryClient.SelectRoute(topology, new Random(1)));

        Assert.That(ex!.Message, Does.Contain("layer-1"));
    }

    [Test]
    public void ToTopology_OutOfRangeScore_ClampedAndQualityOfUnlistedNodeDropped()
    {
        var snapshot = Snapshot(7, Mixnode(1, 1));
        snapshot.Quality.Add(new Mixnet.Directory.V1.NodeQuality { IdentityKey = ByteString.CopyFrom(Id(1)), Reliability = 7, Uptime = double.NaN });
        snapshot.Quality.Add(new Mixnet.Directory.V1.NodeQuality { IdentityKey = ByteString.CopyFrom(Id(9)), Reliability = 1 });

        var topology = ProtoMapping.ToTopology(snapshot);

        Assert.That(topology.GetQuality(Id(1)), Is.EqualTo(new NodeQuality(1, 0, 0, false)));
        Assert.That(topology.GetQuality(Id(9)), Is.Null);
    }

    [Test]
    public void TryApplyDelta_QualityEntries_ReplaceAndLeaveWithTheirNode()
    {
        var view = new TopologyView();
        var snapshot = Snapshot(1, Mixnode(1, 1), Mixnode(2, 1));
        snapshot.Quality.Add(new Mixnet.Directory.V1.NodeQuality { IdentityKey = ByteString.CopyFrom(Id(1)), Reliability = 0.9 });
        snapshot.Quality.Add(new Mixnet.Directory.V1.NodeQuality { IdentityKey = ByteString.CopyFrom(Id(2)), Reliability = 0.8 });
        view.ApplySnapshot(snapshot);
        var delta = Delta(1, 2, [], Id(2));
        delta.Quality.Add(new Mixnet.Directory.V1.NodeQuality { IdentityKey = ByteString.CopyFrom(Id(1)), Reliability = 0.3, Excluded = true });

        var update = view.TryApplyDelta(delta)!;

        Assert.That(update.Topology.GetQuality(Id(1)), Is.EqualTo(new NodeQuality(0.3, 0, 0, true)));
        Assert.That(update.Topology.GetQuality(Id(2)), Is.Null);
    }
}
