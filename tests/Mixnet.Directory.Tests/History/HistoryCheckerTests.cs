using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.History;

/// <summary>The checker on hand-made histories: it accepts a correct one and names each broken invariant.</summary>
public sealed class HistoryCheckerTests
{
    private HistoryBuilder _b = null!;

    [SetUp]
    public void SetUp() => _b = new HistoryBuilder();

    [TearDown]
    public void TearDown() => _b.Dispose();

    [Test]
    public void Check_CorrectHistory_NoViolations()
    {
        var d1 = _b.Descriptor(1);
        _b.WatchSnapshot("watcher", 1, 0, 0.5, 9);
        var lease = _b.Register(d1, 0, 1, 10);
        _b.WatchDelta("watcher", 1, 2, 9, 10, [d1]);
        _b.Fetch("fetcher", 2, 3, 10, d1);
        _b.Heartbeat(lease, 4, 5, 10);
        _b.NotModified("fetcher", 5.5, 5.8, 10);
        _b.Deregister(lease, 6, 7);
        _b.WatchDelta("watcher", 1, 8, 10, 11, [], d1.IdentityKey);
        _b.Fetch("fetcher", 8, 9, 11);

        Assert.That(HistoryChecker.Check(_b.Build()), Is.Empty);
    }

    [Test]
    public void Check_ReadsOverlappingAWrite_MaySeeItOrNot()
    {
        var d1 = _b.Descriptor(1);
        var d2 = _b.Descriptor(1, "1.0.1");
        var lease = _b.Register(d1, 0, 1, 10);
        _b.Register(d2, 2, 5, 11);
        _b.Fetch("a", 3, 4, 10, d1);
        _b.Fetch("b", 3, 4, 11, d2);
        _b.Deregister(lease, 6, null, WriteOutcome.Unknown);
        _b.Fetch("c", 7, 8, 12);

        Assert.That(HistoryChecker.Check(_b.Build()), Is.Empty);
    }

    [Test]
    public void Check_AcknowledgedVersionSeenWithoutTheNode_Visibility()
    {
        // The read overlaps the write, so it alone may miss it; but it shows the very version the write returned.
        _b.Register(_b.Descriptor(1), 0, 2, 10);
        _b.Fetch("fetcher", 1, 1.5, 10);

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Is.EqualTo(new[] { Invariants.Visibility }));
    }

    [Test]
    public void Check_RefusedWrite_ExplainsNothing()
    {
        var d1 = _b.Descriptor(1);
        _b.Register(d1, 0, 1, null, WriteOutcome.Refused);
        _b.Fetch("fetcher", 2, 3, 10, d1);

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Does.Contain(Invariants.Visibility));
    }

    [Test]
    public void Check_FetchAfterRegisterAckServesOlderVersion_ReadYourWrites()
    {
        _b.Register(_b.Descriptor(1), 0, 1, 10);
        _b.Fetch("fetcher", 2, 3, 9);

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Does.Contain(Invariants.ReadYourWrites));
    }

    [Test]
    public void Check_FetchAfterRegisterAckOmitsNode_Visibility()
    {
        _b.Register(_b.Descriptor(1), 0, 1, 10);
        _b.Fetch("fetcher", 2, 3, 10);

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Is.EqualTo(new[] { Invariants.Visibility }));
    }

    [Test]
    public void Check_FetchAfterDeregisterAckListsNode_Visibility()
    {
        var d1 = _b.Descriptor(1);
        var lease = _b.Register(d1, 0, 1, 10);
        _b.Deregister(lease, 2, 3);
        _b.Fetch("fetcher", 4, 5, 11, d1);

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Is.EqualTo(new[] { Invariants.Visibility }));
    }

    [Test]
    public void Check_FetchAfterBanAckListsNode_Visibility()
    {
        var d1 = _b.Descriptor(1);
        _b.Register(d1, 0, 1, 10);
        _b.Ban(1, 2, 3);
        _b.Fetch("fetcher", 4, 5, 11, d1);

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Is.EqualTo(new[] { Invariants.Visibility }));
    }

    [Test]
    public void Check_FetchAfterReRegisterAckShowsOldDescriptor_Visibility()
    {
        var d1 = _b.Descriptor(1);
        var d2 = _b.Descriptor(1, "2.0.0");
        _b.Register(d1, 0, 1, 10);
        _b.Register(d2, 2, 3, 11);
        _b.Fetch("fetcher", 4, 5, 11, d1);

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Is.EqualTo(new[] { Invariants.Visibility }));
    }

    [Test]
    public void Check_ReRegisterWithSameFields_EarlierSignedAtStillMatches()
    {
        var d1 = _b.Descriptor(1);
        var restamped = _b.Descriptor(1);
        _b.Register(d1, 0, 1, 10);
        _b.Register(restamped, 2, 3, 10);
        _b.Fetch("fetcher", 4, 5, 10, d1);

        Assert.That(HistoryChecker.Check(_b.Build()), Is.Empty);
    }

    [Test]
    public void Check_NodeNeverRegistered_Visibility()
    {
        _b.Fetch("fetcher", 0, 1, 10, _b.Descriptor(9));

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Is.EqualTo(new[] { Invariants.Visibility }));
    }

    [Test]
    public void Check_NodeListedBeforeItsRegistrationWasInvoked_Visibility()
    {
        var d1 = _b.Descriptor(1);
        _b.Fetch("fetcher", 0, 1, 10, d1);
        _b.Register(d1, 2, 3, 10);

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Is.EqualTo(new[] { Invariants.Visibility }));
    }

    [Test]
    public void Check_SnapshotSignatureWrong_Signature()
    {
        var snapshot = _b.Snapshot(10);
        snapshot.Signature = HistoryBuilder.Corrupt(snapshot.Signature);
        _b.FetchSigned("fetcher", 0, 1, 0, snapshot);

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Is.EqualTo(new[] { Invariants.Signature }));
    }

    [Test]
    public void Check_DeltaSignatureWrong_Signature()
    {
        var d1 = _b.Descriptor(1);
        _b.WatchSnapshot("watcher", 1, 0, 0.5, 9);
        _b.Register(d1, 0, 1, 10);
        var delta = _b.Delta(9, 10, [d1]);
        delta.Signature = HistoryBuilder.Corrupt(delta.Signature);
        _b.WatchDelta("watcher", 1, 2, delta);

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Is.EqualTo(new[] { Invariants.Signature }));
    }

    [Test]
    public void Check_ObserverGoesBackwards_Monotonic()
    {
        _b.Fetch("fetcher", 0, 1, 11);
        _b.Fetch("fetcher", 1, 1, 10);

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Is.EqualTo(new[] { Invariants.Monotonic }));
    }

    [Test]
    public void Check_LaterReadByAnotherObserverOlder_MonotonicReads()
    {
        _b.Fetch("a", 0, 1, 11);
        _b.Fetch("b", 2, 3, 10);

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Is.EqualTo(new[] { Invariants.MonotonicReads }));
    }

    [Test]
    public void Check_SnapshotForTheKnownVersion_NotModified()
    {
        _b.Fetch("fetcher", 0, 1, 10);
        _b.FetchSigned("fetcher", 2, 3, 10, _b.Snapshot(10));

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Is.EqualTo(new[] { Invariants.NotModified }));
    }

    [Test]
    public void Check_NotModifiedAfterDeregisterAck_KnownNodesAreChecked()
    {
        var d1 = _b.Descriptor(1);
        var lease = _b.Register(d1, 0, 1, 10);
        _b.Fetch("fetcher", 2, 3, 10, d1);
        _b.Deregister(lease, 4, 5);
        _b.NotModified("fetcher", 6, 7, 10);

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Is.EqualTo(new[] { Invariants.Visibility }));
    }

    [Test]
    public void Check_WatchDeltaSkipsAVersion_Contiguous()
    {
        _b.WatchSnapshot("watcher", 1, 0, 1, 9);
        _b.WatchDelta("watcher", 1, 2, 10, 11, []);

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Is.EqualTo(new[] { Invariants.Contiguous }));
    }

    [Test]
    public void Check_WatchDeltaRemovesAbsentNode_Contiguous()
    {
        _b.WatchSnapshot("watcher", 1, 0, 1, 9);
        _b.WatchDelta("watcher", 1, 2, 9, 10, [], HistoryBuilder.Identity(1));

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Is.EqualTo(new[] { Invariants.Contiguous }));
    }

    [Test]
    public void Check_DeltasDisagreeWithSnapshotOfSameVersion_SameVersion()
    {
        var d1 = _b.Descriptor(1);
        _b.WatchSnapshot("watcher", 1, 0, 0.5, 9);
        _b.Register(d1, 0, 1, 10);
        _b.WatchDelta("watcher", 1, 2, 9, 10, []);
        _b.Fetch("fetcher", 2, 3, 10, d1);

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Is.EqualTo(new[] { Invariants.SameVersion }));
    }

    [Test]
    public void Check_WatchOpenedAfterRegisterAckStartsOlder_ReadYourWrites()
    {
        _b.Register(_b.Descriptor(1), 0, 1, 10);
        _b.WatchSnapshot("watcher", 1, 2, 3, 9);

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Does.Contain(Invariants.ReadYourWrites));
    }

    [Test]
    public void Check_FetchAfterHeartbeatOlderThanItsVersion_ReadYourWrites()
    {
        var d1 = _b.Descriptor(1);
        var lease = _b.Register(d1, 0, 1, 10);
        _b.Heartbeat(lease, 2, 3, 12);
        _b.Fetch("fetcher", 4, 5, 11, d1);

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Is.EqualTo(new[] { Invariants.ReadYourWrites }));
    }

    [TestCase(1200, true)]
    [TestCase(1200, false)]
    [TestCase(1000.5, true)]
    public void Check_SilentNodeWithinTtlPlusSweepAndGrace_EitherIsAllowed(double at, bool listed)
    {
        var d1 = _b.Descriptor(1);
        _b.Register(d1, 0, 1, 10);
        _b.Fetch("fetcher", at, at + 1, listed ? 10UL : 11UL, listed ? new[] { d1 } : Array.Empty<NodeDescriptor>());

        Assert.That(HistoryChecker.Check(_b.Build()), Is.Empty);
    }

    [Test]
    public void Check_SilentNodeGoneBeforeTtl_Visibility()
    {
        var d1 = _b.Descriptor(1);
        _b.Register(d1, 0, 1, 10);
        _b.Fetch("fetcher", 500, 501, 11);

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Is.EqualTo(new[] { Invariants.Visibility }));
    }

    [Test]
    public void Check_HeartbeatExtendsTheLease_GoneEarlyIsVisibility()
    {
        var d1 = _b.Descriptor(1);
        var lease = _b.Register(d1, 0, 1, 10);
        _b.Heartbeat(lease, 800, 801, 10);
        _b.Fetch("fetcher", 1500, 1501, 11);

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Is.EqualTo(new[] { Invariants.Visibility }));
    }

    [Test]
    public void Check_SilentNodeListedPastTtlSweepAndGrace_Expiry()
    {
        var d1 = _b.Descriptor(1);
        _b.Register(d1, 0, 1, 10);
        _b.Fetch("fetcher", 1400, 1401, 10, d1);

        Assert.That(Invariant(HistoryChecker.Check(_b.Build())), Is.EqualTo(new[] { Invariants.Expiry }));
    }

    private static string[] Invariant(IReadOnlyList<Violation> violations)
    {
        TestContext.Out.WriteLine(string.Join("\n", violations));
        return [.. violations.Select(v => v.Invariant).Distinct()];
    }
}
