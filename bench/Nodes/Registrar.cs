using Mixnet.Directory.Bench.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Bench.Nodes;

/// <summary>Registers pre-signed nodes (untimed setup), many calls in flight over a few connections.</summary>
internal static class Registrar
{
    public static async Task RegisterAllAsync(ChannelPool channels, IReadOnlyList<BenchNode> nodes, CancellationToken cancellationToken, int inFlight = 64)
    {
        var next = -1;
        var workers = Enumerable.Range(0, inFlight).Select(w => Task.Run(async () =>
        {
            var client = new RegistryService.RegistryServiceClient(channels[w]);
            int i;
            while ((i = Interlocked.Increment(ref next)) < nodes.Count)
            {
                var reply = await client.RegisterNodeAsync(nodes[i].Register, cancellationToken: cancellationToken);
                nodes[i].Registered(reply.LeaseToken);
            }
        }, cancellationToken));
        await Task.WhenAll(workers);
    }
}
