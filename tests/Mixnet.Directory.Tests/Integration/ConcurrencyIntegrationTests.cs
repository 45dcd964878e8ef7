using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Mixnet.Directory.Server.Admin;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Hosting;
using Mixnet.Directory.Server.Keys;
using Mixnet.Directory.Server.Limits;
using Mixnet.Directory.Server.Metrics;
using Mixnet.Directory.Server.Presence;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Server.Telemetry;
using Mixnet.Directory.Server.Topology;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Integration;

/// <summary>Many callers at once over real HTTP/2: no lost or phantom nodes, no server errors.</summary>
[TestFixture]
public sealed class ConcurrencyIntegrationTests
{
    [Test]
    public async Task RegisterHeartbeatDeregister_ManyConcurrentNodes_RegistryMatchesWhatSurvived()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        var clients = new RawClients(server.Channel);
        var survivors = new ConcurrentBag<ByteString>();
        var leavers = new ConcurrentBag<ByteString>();

        var workers = Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                using var node = new TestNode(i % 4 == 0 ? NodeRole.Gateway : NodeRole.Mixnode, (uint)(i % 3) + 1);
                var lease = await clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();
                node.LeaseToken = lease.LeaseToken;
                for (var beat = 0; beat < 3; beat++)
                {
                    await clients.Presence.HeartbeatAsync(node.HeartbeatRequest()).ResponseAsync.Within();
                }

                if ((worker + i) % 3 == 0)
                {
                    await clients.Registry.DeregisterNodeAsync(new DeregisterNodeRequest { IdentityKey = node.IdentityKey, LeaseToken = lease.LeaseToken }).ResponseAsync.Within();
                    leavers.Add(node.IdentityKey);
                }
                else
                {
                    survivors.Add(node.IdentityKey);
                }
            }
        })).ToList();
        await Task.WhenAll(workers).Within(TimeSpan.FromSeconds(60));

        var inTopology = server.Services.GetRequiredService<Membership>().State.Nodes.Values.Select(r => r.Descriptor.IdentityKey).ToHashSet();
        Assert.That(inTopology, Is.EquivalentTo(survivors), "exactly the nodes that stayed");
        Assert.That(server.Services.GetRequiredService<Leases>().Count, Is.EqualTo(survivors.Count));
        foreach (var key in leavers.Take(5))
        {
            var ex = Assert.ThrowsAsync<RpcException>(() => clients.Registry.GetNodeAsync(new GetNodeRequest { IdentityKey = key }).ResponseAsync.Within());
            Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.NotFound));
        }

        server.AssertNoUnexpectedErrors();
        server.DeleteData();
    }
}
