using Grpc.Core;
using Mixnet.Directory.Client;
using Mixnet.Directory.V1;
using NSec.Cryptography;
using static Mixnet.Directory.Tests.Sdk.SdkTestData;

namespace Mixnet.Directory.Tests.Sdk;

public sealed class DirectoryClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private Key _key = null!;
    private FakeCallInvoker _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _key = NewDirectoryKey();
        _directory = new FakeCallInvoker();
        _directory.OnUnary<GetDirectoryInfoRequest, GetDirectoryInfoResponse>("GetDirectoryInfo", _ =>
            new GetDirectoryInfoResponse { DirectoryKey = Google.Protobuf.ByteString.CopyFrom(PublicKey(_key)), ServerVersion = "0.1.0" });
    }

    [TearDown]
    public void TearDown() => _key.Dispose();

    [Test]
    public async Task GetTopologyAsync_NotModified_ReturnsCachedAndSendsKnownVersion()
    {
        var current = Sign(_key, Snapshot(100, Mixnode(1, 1), Gateway(2)));
        _directory.OnUnary<GetTopologyRequest, GetTopologyResponse>("GetTopology", r =>
            r.KnownVersion == 100 ? new GetTopologyResponse() : new GetTopologyResponse { Topology = current });
        await using var client = new DirectoryClient(_directory);

        var first = await client.GetTopologyAsync().WaitAsync(Timeout);
        var second = await client.GetTopologyAsync().WaitAsync(Timeout);

        Assert.That(second, Is.SameAs(first));
        Assert.That(first.Version, Is.EqualTo(100));
        Assert.That(first.Gateways, Has.Count.EqualTo(1));
        Assert.That(_directory.RequestsOf<GetTopologyRequest>("GetTopology").Select(r => r.KnownVersion), Is.EqualTo(new ulong[] { 0, 100 }));
        Assert.That(_directory.RequestsOf<GetDirectoryInfoRequest>("GetDirectoryInfo"), Has.Count.EqualTo(1), "key fetched once, then pinned");
    }

    [Test]
    public async Task GetTopologyAsync_SignedByAnotherKey_ThrowsVerification()
    {
        using var impostor = NewDirectoryKey();
        _directory.OnUnary<GetTopologyRequest, GetTopologyResponse>("GetTopology", _ =>
            new GetTopologyResponse { Topology = Sign(impostor, Snapshot(1, Mixnode(1, 1))) });
        await using var client = new DirectoryClient(_directory, new DirectoryClientOptions { PinnedDirectoryKey = PublicKey(_key) });

        Assert.ThrowsAsync<TopologyVerificationException>(() => client.GetTopologyAsync().WaitAsync(Timeout));
        Assert.That(client.CachedTopology, Is.Null);
        Assert.That(_directory.RequestsOf<GetDirectoryInfoRequest>("GetDirectoryInfo"), Is.Empty, "a pinned key is not fetched");
    }

    [Test]
    public async Task GetNodeAsync_NotFound_ReturnsNull()
    {
        _directory.OnUnary<GetNodeRequest, GetNodeResponse>("GetNode", _ => throw new RpcException(new Status(StatusCode.NotFound, "unknown")));
        await using var client = new DirectoryClient(_directory);
        Assert.That(await client.GetNodeAsync(Id(1)).WaitAsync(Timeout), Is.Null);
    }

    [Test]
    public async Task WatchTopologyAsync_GapInDeltas_DiscardsViewAndResyncsFromSnapshot()
    {
        var watches = 0;
        _directory.OnStream<WatchTopologyRequest, WatchTopologyResponse>("WatchTopology", _ => ++watches == 1
            ?
            [
                new() { Snapshot = Sign(_key, Snapshot(10, Mixnode(1, 1))) },
                new() { Delta = Sign(_key, Delta(10, 11, [Mixnode(2, 2)])) },
                new() { Delta = Sign(_key, Delta(12, 13, [Mixnode(3, 3)])) }, // 11 -> 12 was lost
            ]
            : [new() { Snapshot = Sign(_key, Snapshot(13, Mixnode(1, 1), Mixnode(2, 2), Mixnode(3, 3))) }]);
        await using var client = new DirectoryClient(_directory);

        var updates = await client.WatchTopologyAsync().Take(3).ToListAsync().AsTask().WaitAsync(Timeout);

        Assert.That(updates.Select(u => u.Topology.Version), Is.EqualTo(new ulong[] { 10, 11, 13 }));
        Assert.That(updates.Select(u => u.Kind), Is.EqualTo(new[] { TopologyUpdateKind.Snapshot, TopologyUpdateKind.Delta, TopologyUpdateKind.Snapshot }));
        Assert.That(updates[1].Topology.Count, Is.EqualTo(2));
        Assert.That(updates[2].Topology.Count, Is.EqualTo(3));
        Assert.That(_directory.RequestsOf<WatchTopologyRequest>("WatchTopology").Select(r => r.KnownVersion), Is.EqualTo(new ulong[] { 0, 0 }));
    }

    [Test]
    public async Task WatchTopologyAsync_ForgedDelta_Throws()
    {
        using var impostor = NewDirectoryKey();
        _directory.OnStream<WatchTopologyRequest, WatchTopologyResponse>("WatchTopology", _ =>
        [
            new() { Snapshot = Sign(_key, Snapshot(10, Mixnode(1, 1))) },
            new() { Delta = Sign(impostor, Delta(10, 11, [Mixnode(2, 2)])) },
        ]);
        await using var client = new DirectoryClient(_directory);

        Assert.ThrowsAsync<TopologyVerificationException>(() => client.WatchTopologyAsync().Take(2).ToListAsync().AsTask().WaitAsync(Timeout));
    }

    [Test]
    public async Task WatchTopologyAsync_ConnectionDrops_ReWatchesFromTheVersionHeld()
    {
        var watches = 0;
        _directory.OnStream<WatchTopologyRequest, WatchTopologyResponse>("WatchTopology", _ => ++watches == 1 ? Dropping() : [new() { Delta = Sign(_key, Delta(10, 11, [Mixnode(2, 2)])) }]);
        await using var client = new DirectoryClient(_directory, new DirectoryClientOptions { ReconnectMinBackoff = TimeSpan.FromMilliseconds(1), ReconnectMaxBackoff = TimeSpan.FromMilliseconds(1) });

        var updates = await client.WatchTopologyAsync().Take(2).ToListAsync().AsTask().WaitAsync(Timeout);

        Assert.That(updates[1].Topology.Version, Is.EqualTo(11));
        Assert.That(updates[1].Topology.Count, Is.EqualTo(2));
        Assert.That(_directory.RequestsOf<WatchTopologyRequest>("WatchTopology").Select(r => r.KnownVersion), Is.EqualTo(new ulong[] { 0, 10 }));

        IEnumerable<WatchTopologyResponse> Dropping()
        {
            yield return new() { Snapshot = Sign(_key, Snapshot(10, Mixnode(1, 1))) };
            throw new RpcException(new Status(StatusCode.Unavailable, "connection reset"));
        }
    }
}
