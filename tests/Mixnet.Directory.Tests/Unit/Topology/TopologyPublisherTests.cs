using Mixnet.Directory.Server.Topology;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Unit.Support;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Unit.Topology;

public sealed class TopologyPublisherTests
{
    private PublisherHarness _p = null!;

    private RegistryHarness H => _p.Registry;

    [SetUp]
    public void SetUp() => _p = new PublisherHarness();

    [TearDown]
    public void TearDown() => _p.Dispose();

    [Test]
    public void PublishPending_NothingChanged_ReturnsNull()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_p.Publisher.PublishPending(), Is.Null);
            Assert.That(_p.Publisher.Current.Version, Is.EqualTo(H.Membership.State.Version));
        });
    }

    [Test]
    public void Latest_AfterRegisterAcknowledged_ServesThatVersionWithTheNode()
    {
        var node = H.Mixnode();
        var ack = H.Register(node);

        var served = _p.Publisher.Latest();

        var snapshot = _p.VerifiedSnapshot(served.Snapshot);
        Assert.Multiple(() =>
        {
            Assert.That(served.Version, Is.GreaterThanOrEqualTo(ack.TopologyVersion));
            Assert.That(snapshot.Mixnodes.Concat(snapshot.Gateways).Select(d => d.IdentityKey), Does.Contain(PublisherHarness.Id(node)));
        });
    }

    [Test]
    public void Latest_AfterDeregisterAcknowledged_OmitsTheNode()
    {
        var node = H.Mixnode();
        var ack = H.Register(node);
        _p.Publisher.Latest();
        var left = H.Registry.Deregister(node.IdentityKey.Span, ack.LeaseToken);

        var served = _p.Publisher.Latest();

        var snapshot = _p.VerifiedSnapshot(served.Snapshot);
        Assert.Multiple(() =>
        {
            Assert.That(served.Version, Is.GreaterThanOrEqualTo(left));
            Assert.That(snapshot.Mixnodes.Concat(snapshot.Gateways).Select(d => d.IdentityKey), Does.Not.Contain(PublisherHarness.Id(node)));
        });
    }

    [Test]
    public void Latest_RegistryNotAhead_ReturnsThePublicationWithoutPublishing()
    {
        H.Register(H.Mixnode());
        var first = _p.Publisher.Latest();

        Assert.That(_p.Publisher.Latest(), Is.SameAs(first));
    }

    [Test]
    public void PublishPending_AfterJoins_DeltaFromPreviousToCurrentWithUpserts()
    {
        var from = _p.Publisher.Current.Version;
        var a = H.Mixnode();
        var b = H.Gateway();
        H.Register(a);
        H.Register(b);

        var published = _p.Publisher.PublishPending();

        Assert.That(published, Is.Not.Null);
        var delta = _p.VerifiedDelta(published!.Message);
        Assert.Multiple(() =>
        {
            Assert.That(published.FromVersion, Is.EqualTo(from));
            Assert.That(published.ToVersion, Is.EqualTo(H.Membership.State.Version));
            Assert.That(delta.FromVersion, Is.EqualTo(from));
            Assert.That(delta.ToVersion, Is.EqualTo(from + 2));
            Assert.That(delta.IssuedAt.ToDateTimeOffset(), Is.EqualTo(H.Now));
            Assert.That(delta.Upserted.Select(d => d.IdentityKey), Is.EquivalentTo(new[] { PublisherHarness.Id(a), PublisherHarness.Id(b) }));
            Assert.That(delta.Removed, Is.Empty);
            Assert.That(_p.Publisher.Current.Version, Is.EqualTo(from + 2));
            Assert.That(_p.Publisher.PublishPending(), Is.Null, "nothing new after a publication");
        });
    }

    [Test]
    public void PublishPending_JoinThenLeaveInOneBatch_NeitherUpsertedNorRemoved()
    {
        var stays = H.Mixnode();
        var visitor = H.Mixnode();
        H.Register(stays);
        var lease = H.Register(visitor);
        H.Registry.Deregister(visitor.IdentityKey.Span, lease.LeaseToken);

        var delta = _p.VerifiedDelta(_p.Publisher.PublishPending()!.Message);

        Assert.Multiple(() =>
        {
            Assert.That(delta.Upserted.Select(d => d.IdentityKey), Is.EqualTo(new[] { PublisherHarness.Id(stays) }));
            Assert.That(delta.Removed, Is.Empty);
            Assert.That(delta.ToVersion - delta.FromVersion, Is.EqualTo(3UL));
        });
    }

    [Test]
    public void PublishPending_LeaveAndExpiry_ListedAsRemoved()
    {
        var leaver = H.Mixnode();
        var silent = H.Mixnode();
        var keeper = H.Gateway();
        var leaverLease = H.Register(leaver);
        H.Register(silent);
        H.Time.Advance(TimeSpan.FromSeconds(15));
        H.Register(keeper);
        _p.Publisher.PublishPending();
        H.Registry.Deregister(leaver.IdentityKey.Span, leaverLease.LeaseToken);
        H.Time.Advance(TimeSpan.FromSeconds(6));
        Assert.That(H.Registry.ExpireDue(), Is.EqualTo(1));

        var delta = _p.VerifiedDelta(_p.Publisher.PublishPending()!.Message);

        Assert.Multiple(() =>
        {
            Assert.That(delta.Upserted, Is.Empty);
            Assert.That(delta.Removed, Is.EquivalentTo(new[] { PublisherHarness.Id(leaver), PublisherHarness.Id(silent) }));
        });
    }

    [Test]
    public void PublishPending_ReRegistrationWithNewSphinxKey_UpsertsNewDescriptor()
    {
        var node = H.Mixnode();
        H.Register(node);
        _p.Publisher.PublishPending();
        H.Time.Advance(TimeSpan.FromSeconds(1));
        node.SphinxKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        H.Register(node);

        var delta = _p.VerifiedDelta(_p.Publisher.PublishPending()!.Message);

        Assert.Multiple(() =>
        {
            Assert.That(delta.Upserted, Has.Count.EqualTo(1));
            Assert.That(delta.Upserted[0].SphinxKey.ToByteArray(), Is.EqualTo(node.SphinxKey));
            Assert.That(delta.Removed, Is.Empty);
        });
    }

    [Test]
    public void PublishPending_DeltaSignature_FailsWhenAnyByteFlipped()
    {
        H.Register(H.Mixnode());
        var signed = _p.Publisher.PublishPending()!.Message.Delta;
        var bytes = signed.Delta.ToByteArray();
        var signature = signed.Signature.ToByteArray();

        Assert.That(DirectorySignatures.Verify(_p.Key.PublicKey, SignatureDomain.TopologyDelta, bytes, signature), Is.True);
        Assert.That(DirectorySignatures.Verify(_p.Key.PublicKey, SignatureDomain.Topology, bytes, signature), Is.False, "domain separation");
        for (var i = 0; i < bytes.Length; i += Math.Max(1, bytes.Length / 16))
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x01;
            Assert.That(DirectorySignatures.Verify(_p.Key.PublicKey, SignatureDomain.TopologyDelta, tampered, signature), Is.False, $"byte {i}");
        }

        var badSignature = (byte[])signature.Clone();
        badSignature[10] ^= 0x80;
        Assert.That(DirectorySignatures.Verify(_p.Key.PublicKey, SignatureDomain.TopologyDelta, bytes, badSignature), Is.False);
    }

    [Test]
    public void GetSnapshot_SameVersion_SameInstance()
    {
        H.Register(H.Mixnode());
        _p.Publisher.PublishPending();

        var first = TopologyPublisher.GetSnapshot(_p.Publisher.Current);
        var second = TopologyPublisher.GetSnapshot(_p.Publisher.Current);

        Assert.That(second, Is.SameAs(first));
    }

    [Test]
    public async Task GetSnapshot_ConcurrentCallersSameVersion_OneSharedInstance()
    {
        H.Register(H.Mixnode());
        _p.Publisher.PublishPending();
        var current = _p.Publisher.Current;

        var all = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => TopologyPublisher.GetSnapshot(current))))
            .WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(all.Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public void GetSnapshot_NewVersion_NewInstanceWithNewVersion()
    {
        H.Register(H.Mixnode());
        _p.Publisher.PublishPending();
        var first = TopologyPublisher.GetSnapshot(_p.Publisher.Current);
        H.Register(H.Mixnode());
        _p.Publisher.PublishPending();

        var second = TopologyPublisher.GetSnapshot(_p.Publisher.Current);

        Assert.Multiple(() =>
        {
            Assert.That(second, Is.Not.SameAs(first));
            Assert.That(_p.VerifiedSnapshot(second).Version, Is.EqualTo(_p.VerifiedSnapshot(first).Version + 1));
            Assert.That(_p.VerifiedSnapshot(second).Mixnodes, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public void GetSnapshot_AfterManyVersions_StillBuiltOncePerVersion()
    {
        // DESIGN.md §2: snapshot bytes and signature are made once per version and shared by
        // every request, however many versions came before.
        for (var i = 0; i < 6; i++)
        {
            H.Register(H.Mixnode());
            _p.Publisher.PublishPending();
            TopologyPublisher.GetSnapshot(_p.Publisher.Current);
        }

        H.Register(H.Mixnode());
        _p.Publisher.PublishPending();
        var current = _p.Publisher.Current;

        var first = TopologyPublisher.GetSnapshot(current);
        var second = TopologyPublisher.GetSnapshot(current);
        var third = TopologyPublisher.GetSnapshot(current);

        Assert.Multiple(() =>
        {
            Assert.That(ReferenceEquals(second, first), Is.True, "the second request for the current version rebuilt and re-signed the snapshot");
            Assert.That(ReferenceEquals(third, first), Is.True, "the third request for the current version rebuilt and re-signed the snapshot");
        });
    }

    [Test]
    public void GetSnapshot_MixedNodes_SignedMixnodesSortedByLayerGatewaysSeparate()
    {
        var l3 = H.Mixnode(layer: 3);
        var l1 = H.Mixnode(layer: 1);
        var gateway = H.Gateway();
        var l2 = H.Mixnode(layer: 2);
        var l1b = H.Mixnode(layer: 1);
        foreach (var node in new[] { l3, l1, gateway, l2, l1b })
        {
            H.Register(node);
        }

        _p.Publisher.PublishPending();

        var signed = TopologyPublisher.GetSnapshot(_p.Publisher.Current);
        var snapshot = _p.VerifiedSnapshot(signed);

        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Version, Is.EqualTo(H.Membership.State.Version));
            Assert.That(snapshot.IssuedAt, Is.Not.Null);
            Assert.That(snapshot.Mixnodes.Select(d => d.Layer), Is.EqualTo(new uint[] { 1, 1, 2, 3 }));
            Assert.That(snapshot.Mixnodes.Select(d => d.Role), Has.All.EqualTo(NodeRole.Mixnode));
            Assert.That(snapshot.Gateways.Select(d => d.IdentityKey), Is.EqualTo(new[] { PublisherHarness.Id(gateway) }));
            Assert.That(DirectorySignatures.Verify(_p.Key.PublicKey, SignatureDomain.TopologyDelta, signed.Topology.Span, signed.Signature.Span), Is.False, "domain separation");
        });
        var tampered = signed.Topology.ToByteArray();
        tampered[^1] ^= 1;
        Assert.That(DirectorySignatures.Verify(_p.Key.PublicKey, SignatureDomain.Topology, tampered, signed.Signature.Span), Is.False);
    }

    [Test]
    public void GetSnapshot_BeforeAnyChange_EmptySignedSnapshotAtStartVersion()
    {
        var snapshot = _p.VerifiedSnapshot(TopologyPublisher.GetSnapshot(_p.Publisher.Current));

        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Version, Is.EqualTo(H.Membership.State.Version));
            Assert.That(snapshot.Version, Is.GreaterThan(0UL));
            Assert.That(snapshot.Mixnodes, Is.Empty);
            Assert.That(snapshot.Gateways, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_RegistryChange_PublishedWithoutManualCall()
    {
        using var cts = new CancellationTokenSource();
        var run = _p.Publisher.RunAsync(cts.Token);
        await using var watch = _p.Publisher.WatchAsync(_p.Publisher.Current.Version, cts.Token).GetAsyncEnumerator();
        var next = watch.MoveNextAsync();
        var node = H.Mixnode();

        H.Register(node);

        Assert.That(await next.AsTask().WaitAsync(TimeSpan.FromSeconds(10)), Is.True);
        var delta = _p.VerifiedDelta(watch.Current);
        Assert.That(delta.Upserted.Single().IdentityKey, Is.EqualTo(PublisherHarness.Id(node)));
        await cts.CancelAsync();
        Assert.That(async () => await run.WaitAsync(TimeSpan.FromSeconds(10)), Throws.InstanceOf<OperationCanceledException>());
    }
}
