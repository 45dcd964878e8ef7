using Grpc.Core;
using Mixnet.Directory.Server.Limits;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Mixnet.Directory.Tests.Hostile;

/// <summary>One address opening streams takes at most its share; everyone else is still served.</summary>
[TestFixture]
[Category("Hostile")]
public sealed class StreamFloodTests
{
    [Test]
    public async Task WatchTopology_OneIpPastItsShare_ResourceExhaustedAndOtherIpStillWatches()
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Directory:MaxStreams"] = "20",
            ["Directory:MaxStreamsPerIp"] = "5",
        });
        var clients = new RawClients(server.Channel);
        using var cts = TaskTimeouts.Cancel();
        var open = new List<AsyncServerStreamingCall<WatchTopologyResponse>>();
        RpcException? refused = null;
        for (var i = 0; i < 8 && refused is null; i++)
        {
            var call = clients.Topology.WatchTopology(new WatchTopologyRequest(), cancellationToken: cts.Token);
            try
            {
                Assert.That(await call.ResponseStream.MoveNext(cts.Token), Is.True);
                open.Add(call);
            }
            catch (RpcException ex)
            {
                refused = ex;
                call.Dispose();
            }
        }

        Assert.That(open, Has.Count.EqualTo(5), "one address gets exactly its share");
        Assert.That(refused!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
        Assert.That(refused.Status.Detail, Does.Contain("Directory:MaxStreamsPerIp"));
        Assert.That(refused.Trailers.GetValue("retry-after"), Is.Not.Null);

        // Metrics streams count against the same share.
        using var metrics = clients.Metrics.StreamMetrics(new StreamMetricsRequest(), cancellationToken: cts.Token);
        var ex2 = Assert.ThrowsAsync<RpcException>(async () => await metrics.ResponseStream.MoveNext(cts.Token));
        Assert.That(ex2!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));

        await Innocent.AssertServedAsync(server);
        open.ForEach(c => c.Dispose());
        server.DeleteData();
    }

    [Test]
    public async Task WatchTopology_OpenedFasterThanTheRate_ResourceExhaustedNamingTheSetting()
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Directory:RateLimits:StreamOpenBurstPerIp"] = "3",
            ["Directory:RateLimits:StreamOpensPerSecondPerIp"] = "1",
        });
        var clients = new RawClients(server.Channel);
        RpcException? refused = null;
        for (var i = 0; i < 20 && refused is null; i++)
        {
            using var cts = TaskTimeouts.Cancel();
            using var call = clients.Topology.WatchTopology(new WatchTopologyRequest(), cancellationToken: cts.Token);
            try
            {
                await call.ResponseStream.MoveNext(cts.Token);
            }
            catch (RpcException ex)
            {
                refused = ex;
            }
        }

        Assert.That(refused, Is.Not.Null, "opening and closing streams in a loop is refused past the burst");
        Assert.That(refused!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
        Assert.That(refused.Status.Detail, Does.Contain("StreamOpensPerSecondPerIp"));
        Assert.That(refused.Trailers.GetValue("retry-after"), Is.Not.Null);
        await Innocent.AssertServedAsync(server);
        server.DeleteData();
    }

    [Test]
    public async Task StreamGate_AllStreamsClosed_PerIpTableEmpty()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        var gate = server.Services.GetRequiredService<StreamGate>();
        var clients = new RawClients(server.Channel);
        using (var cts = TaskTimeouts.Cancel())
        {
            using var a = clients.Topology.WatchTopology(new WatchTopologyRequest(), cancellationToken: cts.Token);
            using var b = clients.Topology.WatchTopology(new WatchTopologyRequest(), cancellationToken: cts.Token);
            Assert.That(await a.ResponseStream.MoveNext(cts.Token), Is.True);
            Assert.That(await b.ResponseStream.MoveNext(cts.Token), Is.True);
            Assert.That(gate.Addresses, Is.EqualTo(1), "two streams from one address are one entry");
        }

        await server.WaitForWatchersAsync(0);
        await WaitUntil(() => gate.Open == 0 && gate.Addresses == 0);
        Assert.That(gate.Addresses, Is.Zero, "an address leaves the table with its last stream");
        server.DeleteData();
    }

    [Test]
    public async Task StreamMetrics_FilterOverTheBound_InvalidArgumentNamingIdentityKeys()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        var clients = new RawClients(server.Channel);
        var request = new StreamMetricsRequest();
        for (var i = 0; i <= StreamLimits.MaxFilterKeys; i++)
        {
            var key = new byte[32];
            BitConverter.TryWriteBytes(key, i);
            request.IdentityKeys.Add(Google.Protobuf.ByteString.CopyFrom(key));
        }

        Assert.That(request.CalculateSize(), Is.LessThan(64 * 1024), "the count bound is reached before the size limit");
        using var cts = TaskTimeouts.Cancel();
        using var call = clients.Metrics.StreamMetrics(request, cancellationToken: cts.Token);
        var ex = Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext(cts.Token));

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Does.Contain("identity_keys"));
        server.DeleteData();
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var cts = TaskTimeouts.Cancel();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!condition() && await timer.WaitForNextTickAsync(cts.Token))
        {
        }
    }
}
