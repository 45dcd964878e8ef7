using Google.Protobuf.Collections;
using Microsoft.Extensions.Logging.Abstractions;
using Mixnet.Directory.Server.Quality;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Unit.Support;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Quality;

public sealed class QualityTrackerTests
{
    private PublisherHarness _p = null!;

    private RegistryHarness H => _p.Registry;

    [SetUp]
    public void SetUp() => _p = new PublisherHarness(o =>
    {
        o.PresenceTtl = TimeSpan.FromHours(1); // nodes stay listed over the periods unless a test removes them
        o.Quality = new QualityOptions { Period = TimeSpan.FromMinutes(1), Window = TimeSpan.FromMinutes(10) };
    });

    [TearDown]
    public void TearDown() => _p.Dispose();

    private QualityTracker NewTracker() => new(Microsoft.Extensions.Options.Options.Create(H.Options), H.Membership, H.Time, NullLogger<QualityTracker>.Instance);

    private static NodeId IdOf(TestNode node)
    {
        NodeId.TryRead(node.IdentityKey.Span, out var id);
        return id;
    }

    // The harness's defaults: prior 0.5 worth 5 periods, window 10 periods.
    private static double AfterPeriods(params double[] samples) => Math.Round(((0.5 * 5) + samples.Sum()) / (5 + samples.Length), 3);

    private static readonly double HalfForwarded = LinkJudge.ForwardingScore(0.5, new QualityOptions());

    private static string Hop(TestNode node) => $"{node.Host}:{node.MixPort}";

    /// <summary>
    /// One period: a (layer 1, fed by clients) sends <paramref name="packets"/> to b; b claims it
    /// received <paramref name="claimed"/> and sends <paramref name="forwarded"/> on to gateway c.
    /// </summary>
    private void Period(QualityTracker tracker, TestNode a, TestNode b, TestNode c, ulong packets, ulong? claimed = null, ulong? forwarded = null)
    {
        tracker.Report(IdOf(a), packets, Map((Hop(b), packets)), []);
        tracker.Report(IdOf(b), claimed ?? packets, Map((Hop(c), forwarded ?? packets)), Map((Hop(a), claimed ?? packets)));
        tracker.Report(IdOf(c), forwarded ?? packets, [], Map((Hop(b), forwarded ?? packets)));
        H.Time.Advance(TimeSpan.FromMinutes(1));
        tracker.Tick();
    }

    private readonly Dictionary<TestNode, byte[]> _leases = [];

    private (TestNode A, TestNode B, TestNode C) Line()
    {
        var a = H.Mixnode(1);
        var b = H.Mixnode(2);
        var c = H.Gateway();
        foreach (var node in new[] { a, b, c })
        {
            _leases[node] = H.Register(node).LeaseToken;
        }

        return (a, b, c);
    }

    private static MapField<string, ulong> Map(params (string Hop, ulong Count)[] counts)
    {
        var map = new MapField<string, ulong>();
        foreach (var (hop, count) in counts)
        {
            map[hop] = count;
        }

        return map;
    }

    [Test]
    public void Tick_ScoresChange_OneNewVersionCarriesThemInSnapshotAndDelta()
    {
        var (a, b, c) = Line();
        var tracker = NewTracker();
        _p.Publisher.PublishPending();
        var before = H.Membership.Version;

        Period(tracker, a, b, c, 1000, forwarded: 500);

        var delta = _p.VerifiedDelta(_p.Publisher.PublishPending()!.Message);
        var snapshot = _p.VerifiedSnapshot(_p.Publisher.Latest().Snapshot);
        Assert.Multiple(() =>
        {
            Assert.That(H.Membership.Version, Is.EqualTo(before + 1));
            Assert.That(delta.Upserted, Is.Empty, "no descriptor changed");
            Assert.That(delta.Quality.Select(q => q.IdentityKey), Is.EquivalentTo(new[] { a, b, c }.Select(PublisherHarness.Id)));
            Assert.That(snapshot.Quality.Single(q => q.IdentityKey == PublisherHarness.Id(b)).Reliability, Is.EqualTo(AfterPeriods(HalfForwarded)));
            Assert.That(snapshot.Quality.Select(q => q.IdentityKey).ToList(), Is.Ordered.Using<Google.Protobuf.ByteString>((x, y) => x.Span.SequenceCompareTo(y.Span)));
        });
    }

    [Test]
    public void Tick_SameScoresAgain_NoNewVersion()
    {
        H.Options.Quality.PriorWeight = 0; // without a prior to outgrow, a perfect node's score stays at 1
        var (a, b, c) = Line();
        var tracker = NewTracker();
        Period(tracker, a, b, c, 1000);
        var after = H.Membership.Version;

        Period(tracker, a, b, c, 1000);

        Assert.That(H.Membership.Version, Is.EqualTo(after));
    }

    [Test]
    public void Tick_OneScoreChanges_OthersKeepTheirPublishedEntryAndForgottenNodesLeave()
    {
        var (a, b, c) = Line();
        H.Options.Quality.MaxTrackedNodes = 2;
        var tracker = NewTracker();
        Period(tracker, a, b, c, 1000);
        var before = tracker.Published;
        H.Registry.Deregister(c.IdentityKey.Span, _leases[c]);

        H.Time.Advance(TimeSpan.FromMinutes(1));
        tracker.Tick();

        var after = tracker.Published;
        Assert.Multiple(() =>
        {
            Assert.That(after.Keys, Is.EquivalentTo(new[] { IdOf(a), IdOf(b) }), "c was absent and over the node cap: forgotten, and gone from the table");
            Assert.That(after[IdOf(a)], Is.SameAs(before[IdOf(a)]), "an unchanged score keeps its published entry (the topology sees no change)");
        });
    }

    [Test]
    public void Tick_NodeAbsent_UptimeAndReliabilityCountItAsDown()
    {
        var (a, b, c) = Line();
        var tracker = NewTracker();
        Period(tracker, a, b, c, 1000);
        Period(tracker, a, b, c, 1000);
        H.Registry.Deregister(c.IdentityKey.Span, _leases[c]);

        H.Time.Advance(TimeSpan.FromMinutes(1));
        tracker.Tick();
        H.Time.Advance(TimeSpan.FromMinutes(1));
        tracker.Tick();

        var q = tracker.Find(IdOf(c))!;
        Assert.Multiple(() =>
        {
            Assert.That(q.Uptime, Is.EqualTo(0.5));
            Assert.That(q.Reliability, Is.EqualTo(AfterPeriods(1, 1, 0, 0)), "two periods absent count as 0");
            Assert.That(H.Membership.State.Nodes.ContainsKey(IdOf(c)), Is.False);
        });
    }

    [Test]
    public void Tick_DropperAdmitting_BelowTheClientThresholdAndHonestAboveItAfterThreePeriods()
    {
        var (a, b, c) = Line();
        var tracker = NewTracker();
        for (var i = 0; i < 3; i++)
        {
            Period(tracker, a, b, c, 1000, forwarded: 500);
        }

        Assert.Multiple(() =>
        {
            Assert.That(tracker.Find(IdOf(b))!.Reliability, Is.EqualTo(AfterPeriods(HalfForwarded, HalfForwarded, HalfForwarded)));
            Assert.That(tracker.Find(IdOf(b))!.Reliability, Is.LessThan(0.5));
            Assert.That(tracker.Find(IdOf(a))!.Reliability, Is.EqualTo(AfterPeriods(1, 1, 1)).And.GreaterThan(0.5));
        });
    }

    [Test]
    public void Tick_NewIdentity_StartsAtThePriorAndEarnsItsWeight()
    {
        var (a, b, c) = Line();
        var tracker = NewTracker();

        H.Time.Advance(TimeSpan.FromMinutes(1));
        tracker.Tick(); // listed, no traffic yet
        var fresh = tracker.Find(IdOf(a))!.Reliability;
        Period(tracker, a, b, c, 1000);
        var afterOne = tracker.Find(IdOf(a))!.Reliability;

        Assert.Multiple(() =>
        {
            Assert.That(fresh, Is.EqualTo(0.5), "not 1: a dropper re-registering under a fresh key gains nothing");
            Assert.That(afterOne, Is.EqualTo(AfterPeriods(1)));
        });
    }

    [Test]
    public void Tick_DropperReRegisteringFresh_FallsBelowTheThresholdAfterOnePeriod()
    {
        var (a, b, c) = Line();
        var tracker = NewTracker();

        Period(tracker, a, b, c, 1000, forwarded: 500);

        Assert.That(tracker.Find(IdOf(b))!.Reliability, Is.LessThan(0.5));
    }

    [Test]
    public void Tick_ReceiverDenyingTraffic_DisputesTheLinkOnBothSides()
    {
        var (a, b, c) = Line();
        var tracker = NewTracker();

        Period(tracker, a, b, c, 1000, claimed: 100, forwarded: 1000);

        Assert.That(tracker.Find(IdOf(a))!.Reliability, Is.LessThan(1));
        Assert.That(tracker.Find(IdOf(b))!.Reliability, Is.LessThan(1));
    }

    [Test]
    public void Restart_ScoresRestoredFromDataPath()
    {
        var (a, b, c) = Line();
        var tracker = NewTracker();
        Period(tracker, a, b, c, 1000, forwarded: 500);
        var saved = tracker.Find(IdOf(b))!;

        var restarted = NewTracker();

        var path = Path.Combine(H.Options.DataPath, "quality.json");
        Assert.Multiple(() =>
        {
            Assert.That(restarted.Find(IdOf(b)), Is.EqualTo(saved));
            Assert.That(new FileInfo(path).Length / 3, Is.LessThan(300), "bytes per node on disk");
            Assert.That(System.IO.Directory.GetFiles(H.Options.DataPath, "*.tmp"), Is.Empty);
        });
    }

    [Test]
    public void Tick_WithinTheSaveInterval_FileNotRewrittenUntilItPassesOrSaveNow()
    {
        H.Options.Quality.SaveInterval = TimeSpan.FromMinutes(3);
        var (a, b, c) = Line();
        var tracker = NewTracker();
        var path = Path.Combine(H.Options.DataPath, "quality.json");
        Period(tracker, a, b, c, 1000, forwarded: 500); // first period: saved
        var first = File.ReadAllText(path);

        Period(tracker, a, b, c, 1000, forwarded: 500);
        var withinInterval = File.ReadAllText(path);
        Period(tracker, a, b, c, 1000, forwarded: 500);
        Period(tracker, a, b, c, 1000, forwarded: 500); // three minutes after the first save
        var afterInterval = File.ReadAllText(path);
        Period(tracker, a, b, c, 1000, forwarded: 500);
        tracker.SaveNow();
        var restarted = NewTracker();

        Assert.Multiple(() =>
        {
            Assert.That(withinInterval, Is.EqualTo(first), "scores changed, but the interval had not passed");
            Assert.That(afterInterval, Is.Not.EqualTo(first));
            Assert.That(restarted.Find(IdOf(b)), Is.EqualTo(tracker.Find(IdOf(b))), "SaveNow kept the last period");
        });
    }

    [Test]
    public void Restart_CorruptFile_StartsAfresh()
    {
        System.IO.Directory.CreateDirectory(H.Options.DataPath);
        File.WriteAllText(Path.Combine(H.Options.DataPath, "quality.json"), "{ not json");

        var tracker = NewTracker();

        Assert.That(tracker.Published, Is.Empty);
    }
}
