using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Integration;

/// <summary>TopologyService over a real Kestrel: signed snapshots, conditional fetch, watch deltas.</summary>
[TestFixture]
public sealed class TopologyIntegrationTests : DirectoryFixture
{
    private byte[] _directoryKey = null!;

    [SetUp]
    public async Task SetUp()
    {
        await StartDirectoryAsync();
        _directoryKey = (await Clients.Topology.GetDirectoryInfoAsync(new GetDirectoryInfoRequest()).ResponseAsync.Within()).DirectoryKey.ToByteArray();
    }

    [Test]
    public async Task GetDirectoryInfo_Always_ReturnsKeyAndTimings()
    {
        var info = await Clients.Topology.GetDirectoryInfoAsync(new GetDirectoryInfoRequest()).ResponseAsync.Within();
        Assert.That(info.DirectoryKey.Length, Is.EqualTo(32));
        Assert.That(info.Ttl.ToTimeSpan(), Is.EqualTo(TimeSpan.FromSeconds(20)));
        Assert.That(info.HeartbeatInterval.ToTimeSpan(), Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(info.ServerVersion, Does.Match(@"^\d+\.\d+\.\d+"));
    }

    [Test]
    public async Task GetTopology_AfterJoins_SignedSnapshotListsNodesByRole()
    {
        using var mix = new TestNode(NodeRole.Mixnode, layer: 3);
        using var gateway = new TestNode(NodeRole.Gateway);
        await Clients.Registry.RegisterNodeAsync(mix.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();
        var last = await Clients.Registry.RegisterNodeAsync(gateway.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();

        var snapshot = await WaitForVersionAsync(last.TopologyVersion);

        Assert.That(snapshot.Mixnodes.Select(n => n.IdentityKey), Is.EquivalentTo(new[] { mix.IdentityKey }));
        Assert.That(snapshot.Gateways.Select(n => n.IdentityKey), Is.EquivalentTo(new[] { gateway.IdentityKey }));
        Assert.That(snapshot.Mixnodes[0].SphinxKey, Is.EqualTo(mix.Descriptor.SphinxKey));
    }

    [Test]
    public async Task GetTopology_KnownVersionIsCurrent_NotModified()
    {
        using var node = new TestNode();
        var registered = await Clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();
        var snapshot = await WaitForVersionAsync(registered.TopologyVersion);

        var again = await Clients.Topology.GetTopologyAsync(new GetTopologyRequest { KnownVersion = snapshot.Version }).ResponseAsync.Within();
        var stale = await Clients.Topology.GetTopologyAsync(new GetTopologyRequest { KnownVersion = snapshot.Version - 1 }).ResponseAsync.Within();

        Assert.That(again.Topology, Is.Null);
        Assert.That(stale.Topology, Is.Not.Null);
    }

    [Test]
    public async Task GetTopology_SignatureOverOtherBytes_DoesNotVerify()
    {
        var response = await Clients.Topology.GetTopologyAsync(new GetTopologyRequest()).ResponseAsync.Within();
        var bytes = response.Topology.Topology.ToByteArray();
        Assert.That(DirectorySignatures.Verify(_directoryKey, SignatureDomain.Topology, bytes, response.Topology.Signature.Span), Is.True);
        Assert.That(DirectorySignatures.Verify(_directoryKey, SignatureDomain.TopologyDelta, bytes, response.Topology.Signature.Span), Is.False, "domain separation");
        bytes[^1] ^= 1;
        Assert.That(DirectorySignatures.Verify(_directoryKey, SignatureDomain.Topology, bytes, response.Topology.Signature.Span), Is.False);
    }

    [Test]
    public async Task WatchTopology_JoinsAndLeaves_SnapshotThenContiguousSignedDeltas()
    {
        using var cts = TaskTimeouts.Cancel();
        using var call = Clients.Topology.WatchTopology(new WatchTopologyRequest(), cancellationToken: cts.Token);
        Assert.That(await call.ResponseStream.MoveNext(cts.Token), Is.True);
        Assert.That(call.ResponseStream.Current.UpdateCase, Is.EqualTo(WatchTopologyResponse.UpdateOneofCase.Snapshot));
        var version = TopologySnapshot.Parser.ParseFrom(call.ResponseStream.Current.Snapshot.Topology).Version;

        var nodes = Enumerable.Range(0, 5).Select(i => new TestNode(NodeRole.Mixnode, (uint)(i % 3) + 1)).ToList();
        var leases = new List<RegisterNodeResponse>();
        foreach (var node in nodes)
        {
            leases.Add(await Clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within());
        }

        await Clients.Registry.DeregisterNodeAsync(new DeregisterNodeRequest { IdentityKey = nodes[0].IdentityKey, LeaseToken = leases[0].LeaseToken }).ResponseAsync.Within();
        var target = Server.Services.GetRequiredService<Server.Topology.Membership>().State.Version;

        var live = new HashSet<Google.Protobuf.ByteString>();
        while (version < target)
        {
            Assert.That(await call.ResponseStream.MoveNext(cts.Token), Is.True);
            var update = call.ResponseStream.Current;
            Assert.That(update.UpdateCase, Is.EqualTo(WatchTopologyResponse.UpdateOneofCase.Delta));
            Assert.That(DirectorySignatures.Verify(_directoryKey, SignatureDomain.TopologyDelta, update.Delta.Delta.Span, update.Delta.Signature.Span), Is.True);
            var delta = TopologyDelta.Parser.ParseFrom(update.Delta.Delta);
            Assert.That(delta.FromVersion, Is.EqualTo(version), "deltas are contiguous");
            Assert.That(delta.ToVersion, Is.GreaterThan(delta.FromVersion));
            foreach (var n in delta.Upserted)
            {
                live.Add(n.IdentityKey);
            }

            foreach (var r in delta.Removed)
            {
                live.Remove(r);
            }

            version = delta.ToVersion;
        }

        Assert.That(live, Is.EquivalentTo(nodes.Skip(1).Select(n => n.IdentityKey)));
        nodes.ForEach(n => n.Dispose());
    }

    [Test]
    public async Task WatchTopology_KnownVersionCurrent_NoSnapshotFirst()
    {
        var current = await Clients.Topology.GetTopologyAsync(new GetTopologyRequest()).ResponseAsync.Within();
        var version = TopologySnapshot.Parser.ParseFrom(current.Topology.Topology).Version;
        using var cts = TaskTimeouts.Cancel();
        using var call = Clients.Topology.WatchTopology(new WatchTopologyRequest { KnownVersion = version }, cancellationToken: cts.Token);
        // A watch that reaches the server after the registration would rightly start with a snapshot.
        await Server.WaitForWatchersAsync(1);
        using var node = new TestNode();
        await Clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();

        Assert.That(await call.ResponseStream.MoveNext(cts.Token), Is.True);
        Assert.That(call.ResponseStream.Current.UpdateCase, Is.EqualTo(WatchTopologyResponse.UpdateOneofCase.Delta));
        Assert.That(TopologyDelta.Parser.ParseFrom(call.ResponseStream.Current.Delta.Delta).FromVersion, Is.EqualTo(version));
    }

    [Test]
    public async Task WatchTopology_ServerStops_StreamEndsWithUnavailable()
    {
        using var cts = TaskTimeouts.Cancel();
        using var call = Clients.Topology.WatchTopology(new WatchTopologyRequest(), cancellationToken: cts.Token);
        Assert.That(await call.ResponseStream.MoveNext(cts.Token), Is.True);

        var stopping = Server.StopAsync();
        var ex = Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext(cts.Token));
        await stopping;

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
    }

    private async Task<TopologySnapshot> WaitForVersionAsync(ulong version)
    {
        // The publisher batches changes; a watch reports when the version is out, no polling needed.
        using var cts = TaskTimeouts.Cancel();
        using var call = Clients.Topology.WatchTopology(new WatchTopologyRequest(), cancellationToken: cts.Token);
        ulong seen = 0;
        while (seen < version && await call.ResponseStream.MoveNext(cts.Token))
        {
            var update = call.ResponseStream.Current;
            seen = update.UpdateCase == WatchTopologyResponse.UpdateOneofCase.Snapshot
                ? TopologySnapshot.Parser.ParseFrom(update.Snapshot.Topology).Version
                : TopologyDelta.Parser.ParseFrom(update.Delta.Delta).ToVersion;
        }

        var response = await Clients.Topology.GetTopologyAsync(new GetTopologyRequest()).ResponseAsync.Within();
        Assert.That(DirectorySignatures.Verify(_directoryKey, SignatureDomain.Topology, response.Topology.Topology.Span, response.Topology.Signature.Span), Is.True);
        var snapshot = TopologySnapshot.Parser.ParseFrom(response.Topology.Topology);
        Assert.That(snapshot.Version, Is.GreaterThanOrEqualTo(version));
        return snapshot;
    }
}
