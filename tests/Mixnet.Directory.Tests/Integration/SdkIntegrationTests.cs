using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Mixnet.Directory.Client;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.Integration;

/// <summary>The SDK against a real directory: the failures operators hit, and what clients rely on.</summary>
[TestFixture]
public sealed class SdkIntegrationTests
{
    private static readonly Dictionary<string, string?> FastTimings = new()
    {
        ["Directory:HeartbeatInterval"] = "00:00:00.200",
        ["Directory:PresenceTtl"] = "00:00:03",
    };

    [Test]
    public async Task NodeAgent_DirectoryRestartsOnSamePort_NodeIsListedAgain()
    {
        var first = await DirectoryServerHost.StartAsync(FastTimings);
        var port = first.GrpcPort;
        using var identity = NodeIdentity.Generate();
        await using var agent = new NodeAgent(identity, AgentOptions(first.GrpcAddress, 31001));
        await agent.StartAsync();
        await agent.WaitUntilRegisteredAsync().Within();
        var registrationsBefore = agent.RegistrationCount;
        await using (var client = new DirectoryClient(first.GrpcAddress))
        {
            Assert.That(await client.GetNodeAsync(identity.IdentityKey).Within(), Is.Not.Null);
        }

        // The directory goes away: the agent keeps trying without failing.
        var reconnecting = WaitForStateAsync(agent, NodeAgentState.Reconnecting);
        await first.DisposeAsync();
        await reconnecting.Within();

        // A fresh directory (empty registry) comes up on the same port: the agent's next heartbeat
        // gets NOT_FOUND and it registers again by itself.
        await using var second = await DirectoryServerHost.StartAsync(FastTimings, grpcPort: port);
        await using var watcher = new DirectoryClient(second.GrpcAddress);
        using var cts = TaskTimeouts.Cancel(TimeSpan.FromSeconds(30));
        await foreach (var update in watcher.WatchTopologyAsync(cts.Token))
        {
            if (update.Topology.Find(identity.IdentityKey.Span) is not null)
            {
                break;
            }
        }

        Assert.That(agent.RegistrationCount, Is.GreaterThan(registrationsBefore));
        Assert.That(agent.State, Is.EqualTo(NodeAgentState.Registered));
        second.AssertNoUnexpectedErrors();
        first.DeleteData();
        second.DeleteData();
    }

    [Test]
    public async Task NodeAgent_DirectoryNotUpAtFirstStart_RegistersOnceItIs()
    {
        var port = FreePort();
        using var identity = NodeIdentity.Generate();
        await using var agent = new NodeAgent(identity, AgentOptions(new Uri($"http://127.0.0.1:{port}"), 31002));
        var reconnecting = WaitForStateAsync(agent, NodeAgentState.Reconnecting);
        await agent.StartAsync();
        await reconnecting.Within();

        await using var server = await DirectoryServerHost.StartAsync(FastTimings, grpcPort: port);
        await agent.WaitUntilRegisteredAsync().Within(TimeSpan.FromSeconds(30));

        await using var client = new DirectoryClient(server.GrpcAddress);
        var details = await client.GetNodeAsync(identity.IdentityKey).Within();
        Assert.That(details, Is.Not.Null);
        Assert.That(details!.Node.MixPort, Is.EqualTo(31002));
        server.AssertNoUnexpectedErrors();
        server.DeleteData();
    }

    [Test]
    public async Task NodeAgent_Stop_DeregistersAtOnce()
    {
        await using var server = await DirectoryServerHost.StartAsync(FastTimings);
        using var identity = NodeIdentity.Generate();
        var agent = new NodeAgent(identity, AgentOptions(server.GrpcAddress, 31003));
        await agent.StartAsync();
        await agent.WaitUntilRegisteredAsync().Within();

        await agent.StopAsync().Within();
        await agent.DisposeAsync();

        await using var client = new DirectoryClient(server.GrpcAddress);
        Assert.That(await client.GetNodeAsync(identity.IdentityKey).Within(), Is.Null);
        Assert.That(server.Services.GetRequiredService<Server.Presence.Leases>().Count, Is.Zero);
        server.AssertNoUnexpectedErrors();
        server.DeleteData();
    }

    [Test]
    public async Task DirectoryClient_RealTopology_VerifiedAndRoutable()
    {
        await using var server = await DirectoryServerHost.StartAsync(FastTimings);
        var agents = new List<(NodeIdentity Identity, NodeAgent Agent)>();
        var port = 31100;
        foreach (var (role, layer) in new[] { (NodeRole.Gateway, 0), (NodeRole.Mixnode, 1), (NodeRole.Mixnode, 2), (NodeRole.Mixnode, 3), (NodeRole.Mixnode, 3) })
        {
            var identity = NodeIdentity.Generate();
            var options = AgentOptions(server.GrpcAddress, port++);
            options.Role = role;
            options.Layer = layer;
            options.ClientPort = role == NodeRole.Gateway ? 9000 : 0;
            var agent = new NodeAgent(identity, options);
            await agent.StartAsync();
            agents.Add((identity, agent));
        }

        await Task.WhenAll(agents.Select(a => a.Agent.WaitUntilRegisteredAsync())).Within();
        await using var client = new DirectoryClient(server.GrpcAddress);
        using var cts = TaskTimeouts.Cancel();
        Topology? topology = null;
        await foreach (var update in client.WatchTopologyAsync(cts.Token))
        {
            if (update.Topology.Count == agents.Count)
            {
                topology = update.Topology;
                break;
            }
        }

        var fetched = await client.GetTopologyAsync().Within();
        Assert.That(fetched.Version, Is.EqualTo(topology!.Version));
        Assert.That(fetched.GetLayer(3), Has.Count.EqualTo(2));
        var route = DirectoryClient.SelectRoute(fetched, new Random(7));
        Assert.That(route.Layer1.Layer, Is.EqualTo(1));
        Assert.That(route.Layer2.Layer, Is.EqualTo(2));
        Assert.That(route.Layer3.Layer, Is.EqualTo(3));
        Assert.That(route.Entry.Role, Is.EqualTo(NodeRole.Gateway));
        var sphinx = agents.Single(a => a.Identity.IdentityKey.Span.SequenceEqual(route.Layer1.IdentityKey.Span)).Identity.SphinxKey;
        Assert.That(route.Layer1.SphinxKey.ToArray(), Is.EqualTo(sphinx.ToArray()), "clients encrypt to the key the node registered");

        foreach (var (identity, agent) in agents)
        {
            await agent.DisposeAsync();
            identity.Dispose();
        }

        server.AssertNoUnexpectedErrors();
        server.DeleteData();
    }

    [Test]
    public async Task DirectoryClient_PinnedKeyOfAnotherDirectory_RefusesTopology()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        using var impostor = NSec.Cryptography.Key.Create(NSec.Cryptography.SignatureAlgorithm.Ed25519);
        await using var client = new DirectoryClient(server.GrpcAddress, new DirectoryClientOptions
        {
            PinnedDirectoryKey = impostor.PublicKey.Export(NSec.Cryptography.KeyBlobFormat.RawPublicKey),
        });

        Assert.ThrowsAsync<TopologyVerificationException>(() => client.GetTopologyAsync().Within());
        server.DeleteData();
    }

    [Test]
    public async Task NodeAgentAndStreamMetrics_RecordedPackets_ArriveInAFrame()
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?>(FastTimings) { ["Directory:MetricsWindow"] = "00:00:00.100" });
        using var identity = NodeIdentity.Generate();
        await using var agent = new NodeAgent(identity, AgentOptions(server.GrpcAddress, 31200));
        await using var client = new DirectoryClient(server.GrpcAddress);
        for (var i = 0; i < 5; i++)
        {
            agent.RecordSent("10.1.1.1:1789");
            agent.RecordReceived();
        }

        agent.RecordSent("10.1.1.2:1789");
        await agent.StartAsync();

        // Frames come every window; the first one naming the node carries the agent's report.
        using var cts = TaskTimeouts.Cancel(TimeSpan.FromSeconds(30));
        Client.MetricsFrame? frame = null;
        await foreach (var f in client.StreamMetricsAsync([identity.IdentityKey.ToArray()], 0, cts.Token))
        {
            if (f.Nodes.Count > 0)
            {
                frame = f;
                break;
            }
        }

        var node = frame!.Nodes.Single();
        Assert.That(node.IdentityKey.ToArray(), Is.EqualTo(identity.IdentityKey.ToArray()));
        Assert.That(node.Sent, Is.EqualTo(6UL));
        Assert.That(node.Received, Is.EqualTo(5UL));
        Assert.That(frame.NetworkSent, Is.EqualTo(6UL));
        server.AssertNoUnexpectedErrors();
        server.DeleteData();
    }

    private static NodeAgentOptions AgentOptions(Uri address, int mixPort) => new()
    {
        DirectoryAddress = address,
        Role = NodeRole.Mixnode,
        Layer = 1,
        Host = "127.0.0.1",
        MixPort = mixPort,
        Version = "1.0.0",
        Location = "Test Lab",
        MinBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(500),
        CallTimeout = TimeSpan.FromSeconds(5),
    };

    private static Task WaitForStateAsync(NodeAgent agent, NodeAgentState state)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.StateChanged += (_, s) =>
        {
            if (s == state)
            {
                reached.TrySetResult();
            }
        };
        return reached.Task;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
