using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Hostile;

/// <summary>The check after every flood: a fresh caller from another address is served normally.</summary>
public static class Innocent
{
    public static async Task AssertServedAsync(DirectoryServerHost server)
    {
        using var channel = LoopbackSource.Channel(server.GrpcAddress, LoopbackSource.Innocent);
        var topology = new TopologyService.TopologyServiceClient(channel);
        var fetched = await topology.GetTopologyAsync(new GetTopologyRequest()).ResponseAsync.Within();
        Assert.That(fetched.Topology, Is.Not.Null, "a fresh caller from 127.0.0.2 gets the topology");

        using var cts = TaskTimeouts.Cancel();
        using var watch = topology.WatchTopology(new WatchTopologyRequest(), cancellationToken: cts.Token);
        Assert.That(await watch.ResponseStream.MoveNext(cts.Token), Is.True, "a fresh caller from 127.0.0.2 can watch");
        Assert.That(watch.ResponseStream.Current.Snapshot, Is.Not.Null);
        await cts.CancelAsync();
    }
}
