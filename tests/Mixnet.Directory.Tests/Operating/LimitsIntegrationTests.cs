using Grpc.Core;
using Mixnet.Directory.Client;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Operating;

/// <summary>Per-IP, per-identity, per-host and per-stream limits, each refused with RESOURCE_EXHAUSTED and a retry hint.</summary>
[TestFixture]
public sealed class LimitsIntegrationTests
{
    [Test]
    public async Task RegisterNode_BurstPerIpSpent_ResourceExhaustedWithRetryAfter()
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Directory:RateLimits:RegistrationBurstPerIp"] = "3",
            ["Directory:RateLimits:RegistrationsPerSecondPerIp"] = "1",
        });
        var clients = new RawClients(server.Channel);
        var nodes = Enumerable.Range(0, 20).Select(_ => new TestNode()).ToList();

        // Spend the bucket (3, plus one more for each second a slow first call lets refill).
        RpcException? ex = null;
        var accepted = 0;
        foreach (var node in nodes)
        {
            try
            {
                await clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();
                accepted++;
            }
            catch (RpcException refused)
            {
                ex = refused;
                break;
            }
        }

        Assert.That(ex, Is.Not.Null, "registrations past the burst are refused");
        Assert.That(accepted, Is.GreaterThanOrEqualTo(3), "the burst itself is accepted");
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
        Assert.That(int.Parse(ex.Trailers.GetValue("retry-after")!, System.Globalization.CultureInfo.InvariantCulture), Is.InRange(1, 2));
        Assert.That(ex.Trailers.GetValue("grpc-retry-pushback-ms"), Is.Not.Null);
        nodes.ForEach(n => n.Dispose());
        server.DeleteData();
    }

    [Test]
    public async Task Heartbeat_FasterThanAllowedPerIdentity_LimitedWithoutTouchingOtherNodes()
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?>
        {
            // A long interval, so no slot refills while a cold CI machine makes the three calls.
            ["Directory:RateLimits:HeartbeatsPerInterval"] = "2",
            ["Directory:HeartbeatInterval"] = "00:01:00",
            ["Directory:PresenceTtl"] = "00:05:00",
        });
        var clients = new RawClients(server.Channel);
        using var eager = new TestNode();
        using var calm = new TestNode();
        eager.LeaseToken = (await clients.Registry.RegisterNodeAsync(eager.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within()).LeaseToken;
        calm.LeaseToken = (await clients.Registry.RegisterNodeAsync(calm.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within()).LeaseToken;

        await clients.Presence.HeartbeatAsync(eager.HeartbeatRequest()).ResponseAsync.Within();
        await clients.Presence.HeartbeatAsync(eager.HeartbeatRequest()).ResponseAsync.Within();
        var ex = Assert.ThrowsAsync<RpcException>(() => clients.Presence.HeartbeatAsync(eager.HeartbeatRequest()).ResponseAsync.Within());

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
        Assert.That(ex.Trailers.GetValue("retry-after"), Is.Not.Null);
        var other = await clients.Presence.HeartbeatAsync(calm.HeartbeatRequest()).ResponseAsync.Within();
        Assert.That(other.Ttl, Is.Not.Null, "a node behind the same address is not limited by its neighbour");
        server.DeleteData();
    }

    [Test]
    public async Task RegisterNode_TooManyIdentitiesOnOneHost_ResourceExhaustedNamingHost()
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?> { ["Directory:MaxNodesPerHost"] = "2" });
        var clients = new RawClients(server.Channel);
        using var a = new TestNode(host: "10.0.0.1");
        using var b = new TestNode(host: "10.0.0.1");
        using var c = new TestNode(host: "10.0.0.1");
        using var d = new TestNode(host: "10.0.0.2");
        await clients.Registry.RegisterNodeAsync(a.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();
        await clients.Registry.RegisterNodeAsync(b.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();

        var ex = Assert.ThrowsAsync<RpcException>(() => clients.Registry.RegisterNodeAsync(c.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within());

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
        Assert.That(ex.Status.Detail, Does.StartWith("descriptor.host"));
        // The cap counts caller addresses too: all four come from 127.0.0.1.
        var fromCaller = Assert.ThrowsAsync<RpcException>(() => clients.Registry.RegisterNodeAsync(d.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within());
        Assert.That(fromCaller!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
        Assert.That((await clients.Registry.RegisterNodeAsync(a.RegisterRequest(DateTimeOffset.UtcNow.AddSeconds(1))).ResponseAsync.Within()).LeaseToken.Length,
            Is.EqualTo(32), "re-registering an identity already on the host is not a new identity");
        server.DeleteData();
    }

    [Test]
    public async Task WatchTopology_StreamCapReached_ResourceExhausted()
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?> { ["Directory:MaxStreams"] = "1" });
        var clients = new RawClients(server.Channel);
        using var cts = TaskTimeouts.Cancel();
        using var first = clients.Topology.WatchTopology(new WatchTopologyRequest(), cancellationToken: cts.Token);
        Assert.That(await first.ResponseStream.MoveNext(cts.Token), Is.True);

        using var second = clients.Metrics.StreamMetrics(new StreamMetricsRequest(), cancellationToken: cts.Token);
        var ex = Assert.ThrowsAsync<RpcException>(async () => await second.ResponseStream.MoveNext(cts.Token));

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
        server.DeleteData();
    }

    [Test]
    public async Task DirectoryClient_TopologyLimitHit_RetriesAfterPushbackAndSucceeds()
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Directory:RateLimits:TopologyBurstPerIp"] = "1",
            ["Directory:RateLimits:TopologyRequestsPerSecondPerIp"] = "5",
        });
        await using var client = new DirectoryClient(server.GrpcAddress);
        var raw = new RawClients(server.Channel);
        // Spend the bucket: a raw client, which does not retry, is refused once it is empty.
        StatusCode? refused = null;
        for (var i = 0; i < 50 && refused is null; i++)
        {
            try
            {
                await raw.Topology.GetTopologyAsync(new GetTopologyRequest()).ResponseAsync.Within();
            }
            catch (RpcException ex)
            {
                refused = ex.StatusCode;
            }
        }

        Assert.That(refused, Is.EqualTo(StatusCode.ResourceExhausted));

        var topology = await client.GetTopologyAsync().Within();

        Assert.That(topology.Version, Is.GreaterThan(0UL), "the SDK waited out the pushback and got the topology");
        server.DeleteData();
    }
}
