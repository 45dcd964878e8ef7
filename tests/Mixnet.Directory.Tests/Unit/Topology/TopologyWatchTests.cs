using Mixnet.Directory.Server.Topology;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Unit.Support;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Unit.Topology;

public sealed class TopologyWatchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private PublisherHarness _p = null!;

    private RegistryHarness H => _p.Registry;

    [SetUp]
    public void SetUp() => _p = new PublisherHarness(o => o.WatchQueueLength = 4);

    [TearDown]
    public void TearDown() => _p.Dispose();

    [Test]
    public async Task WatchAsync_KnownVersionZero_SnapshotFirst()
    {
        var node = H.Mixnode();
        H.Register(node);
        _p.Publisher.PublishPending();
        using var cts = new CancellationTokenSource();
        await using var watch = _p.Publisher.WatchAsync(0, cts.Token).GetAsyncEnumerator();

        var snapshot = _p.VerifiedSnapshot(await Next(watch));

        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Version, Is.EqualTo(_p.Publisher.Current.Version));
            Assert.That(snapshot.Mixnodes.Single().IdentityKey, Is.EqualTo(PublisherHarness.Id(node)));
            Assert.That(watch.Current.Snapshot, Is.SameAs(TopologyPublisher.GetSnapshot(_p.Publisher.Current)), "the shared snapshot, not a copy");
        });
    }

    [Test]
    public async Task WatchAsync_StaleKnownVersion_SnapshotFirst()
    {
        H.Register(H.Mixnode());
        _p.Publisher.PublishPending();
        var stale = _p.Publisher.Current.Version;
        H.Register(H.Mixnode());
        _p.Publisher.PublishPending();
        using var cts = new CancellationTokenSource();
        await using var watch = _p.Publisher.WatchAsync(stale, cts.Token).GetAsyncEnumerator();

        var snapshot = _p.VerifiedSnapshot(await Next(watch));

        Assert.That(snapshot.Version, Is.EqualTo(stale + 1));
    }

    [Test]
    public async Task WatchAsync_KnownVersionCurrent_NoSnapshotFirstDeltaFromKnownVersion()
    {
        H.Register(H.Mixnode());
        _p.Publisher.PublishPending();
        var known = _p.Publisher.Current.Version;
        using var cts = new CancellationTokenSource();
        await using var watch = _p.Publisher.WatchAsync(known, cts.Token).GetAsyncEnumerator();
        var first = watch.MoveNextAsync();
        Assert.That(first.IsCompleted, Is.False, "nothing to send until the topology changes");

        H.Register(H.Mixnode());
        _p.Publisher.PublishPending();

        Assert.That(await first.AsTask().WaitAsync(Timeout), Is.True);
        var delta = _p.VerifiedDelta(watch.Current);
        Assert.Multiple(() =>
        {
            Assert.That(delta.FromVersion, Is.EqualTo(known));
            Assert.That(delta.ToVersion, Is.EqualTo(known + 1));
        });
    }

    [Test]
    public async Task WatchAsync_SeveralBatches_ContiguousDeltas()
    {
        using var cts = new CancellationTokenSource();
        await using var watch = _p.Publisher.WatchAsync(0, cts.Token).GetAsyncEnumerator();
        var position = _p.VerifiedSnapshot(await Next(watch)).Version;
        var nodes = new List<(TestNode Node, byte[] Token)>();

        for (var batch = 0; batch < 10; batch++)
        {
            var node = H.Mixnode();
            nodes.Add((node, H.Register(node).LeaseToken));
            if (batch % 3 == 2)
            {
                H.Registry.Deregister(nodes[0].Node.IdentityKey.Span, nodes[0].Token);
                nodes.RemoveAt(0);
            }

            _p.Publisher.PublishPending();
            var delta = _p.VerifiedDelta(await Next(watch));
            Assert.That(delta.FromVersion, Is.EqualTo(position), $"batch {batch}");
            Assert.That(delta.ToVersion, Is.GreaterThan(delta.FromVersion));
            position = delta.ToVersion;
        }

        Assert.That(position, Is.EqualTo(H.Membership.State.Version));
    }

    [Test]
    public async Task WatchAsync_UnreadBatchesWithinQueue_AllDeliveredInOrder()
    {
        using var cts = new CancellationTokenSource();
        await using var watch = _p.Publisher.WatchAsync(0, cts.Token).GetAsyncEnumerator();
        var position = _p.VerifiedSnapshot(await Next(watch)).Version;
        for (var i = 0; i < _p.Registry.Options.WatchQueueLength; i++)
        {
            H.Register(H.Mixnode());
            _p.Publisher.PublishPending();
        }

        for (var i = 0; i < _p.Registry.Options.WatchQueueLength; i++)
        {
            var delta = _p.VerifiedDelta(await Next(watch));
            Assert.That(delta.FromVersion, Is.EqualTo(position));
            position = delta.ToVersion;
        }

        Assert.That(position, Is.EqualTo(H.Membership.State.Version));
    }

    [Test]
    public async Task WatchAsync_SlowWatcherOverflows_FreshSnapshotThenContiguousDeltas()
    {
        using var cts = new CancellationTokenSource();
        await using var watch = _p.Publisher.WatchAsync(0, cts.Token).GetAsyncEnumerator();
        _p.VerifiedSnapshot(await Next(watch));
        var queue = _p.Registry.Options.WatchQueueLength;

        for (var i = 0; i < queue * 3; i++)
        {
            H.Register(H.Mixnode());
            _p.Publisher.PublishPending();
        }

        var resync = _p.VerifiedSnapshot(await Next(watch));
        Assert.Multiple(() =>
        {
            Assert.That(resync.Version, Is.EqualTo(H.Membership.State.Version));
            Assert.That(resync.Mixnodes, Has.Count.EqualTo(queue * 3));
        });

        var next = watch.MoveNextAsync();
        Assert.That(next.IsCompleted, Is.False, "the backlog was replaced by the snapshot, not replayed after it");
        var node = H.Mixnode();
        H.Register(node);
        _p.Publisher.PublishPending();

        Assert.That(await next.AsTask().WaitAsync(Timeout), Is.True);
        var delta = _p.VerifiedDelta(watch.Current);
        Assert.Multiple(() =>
        {
            Assert.That(delta.FromVersion, Is.EqualTo(resync.Version));
            Assert.That(delta.Upserted.Single().IdentityKey, Is.EqualTo(PublisherHarness.Id(node)));
        });
    }

    [Test]
    public async Task WatchAsync_Cancelled_WatcherRemoved()
    {
        using var cts = new CancellationTokenSource();
        var watch = _p.Publisher.WatchAsync(0, cts.Token).GetAsyncEnumerator();
        await Next(watch);
        var pending = watch.MoveNextAsync().AsTask();
        Assert.That(_p.Publisher.WatcherCount, Is.EqualTo(1));

        await cts.CancelAsync();

        Assert.That(async () => await pending.WaitAsync(Timeout), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(_p.Publisher.WatcherCount, Is.Zero);
        await watch.DisposeAsync();
        H.Register(H.Mixnode());
        Assert.That(_p.Publisher.PublishPending(), Is.Not.Null, "publishing with no watchers still works");
    }

    [Test]
    public async Task WatchAsync_ConsumerStopsReading_WatcherRemovedOnDispose()
    {
        using var cts = new CancellationTokenSource();
        var watch = _p.Publisher.WatchAsync(0, cts.Token).GetAsyncEnumerator();
        await Next(watch);
        Assert.That(_p.Publisher.WatcherCount, Is.EqualTo(1));

        await watch.DisposeAsync().AsTask().WaitAsync(Timeout);

        Assert.That(_p.Publisher.WatcherCount, Is.Zero);
    }

    [Test]
    public async Task WatchAsync_ManyWatchers_EachGetsSameDeltaInstance()
    {
        using var cts = new CancellationTokenSource();
        var watches = Enumerable.Range(0, 5).Select(_ => _p.Publisher.WatchAsync(0, cts.Token).GetAsyncEnumerator()).ToList();
        foreach (var w in watches)
        {
            await Next(w);
        }

        H.Register(H.Mixnode());
        var published = _p.Publisher.PublishPending()!;

        foreach (var w in watches)
        {
            Assert.That(await Next(w), Is.SameAs(published.Message), "the delta is built and signed once for every watcher");
        }

        Assert.That(_p.Publisher.WatcherCount, Is.EqualTo(5));
        foreach (var w in watches)
        {
            await w.DisposeAsync();
        }

        Assert.That(_p.Publisher.WatcherCount, Is.Zero);
    }

    private static async Task<WatchTopologyResponse> Next(IAsyncEnumerator<WatchTopologyResponse> watch)
    {
        Assert.That(await watch.MoveNextAsync().AsTask().WaitAsync(Timeout), Is.True, "the watch ended");
        return watch.Current;
    }
}
