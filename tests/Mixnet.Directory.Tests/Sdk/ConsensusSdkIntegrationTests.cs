using Mixnet.Directory.Client;
using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.Sdk;

/// <summary>The SDK against three real authorities on loopback voting in 4-second epochs.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ConsensusSdkIntegrationTests
{
    private static readonly TimeSpan EpochLength = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan EpochsTimeout = TimeSpan.FromSeconds(40);

    [Test]
    public async Task AgentAnnouncingToAll_IsInTheAcceptedConsensus_AndStaysThereWithOneAuthorityStopped()
    {
        await using var cluster = await AuthorityCluster.StartAsync(3, EpochLength);
        using var identity = NodeIdentity.Generate();
        var agentOptions = new NodeAgentOptions { Role = NodeRole.Mixnode, Layer = 1, Host = "127.0.0.1", MixPort = 31500, ReportMetrics = false };
        foreach (var address in cluster.Addresses)
        {
            agentOptions.DirectoryAddresses.Add(address);
        }

        await using var agent = new NodeAgent(identity, agentOptions);
        var clientOptions = new DirectoryClientOptions();
        for (var i = 0; i < 3; i++)
        {
            clientOptions.Authorities.Add(new DirectoryAuthority(cluster.Addresses[i], cluster.PublicKeys[i].Span));
        }

        await using var client = new DirectoryClient(clientOptions);
        using var stop = TaskTimeouts.Cancel(TimeSpan.FromSeconds(90));
        await using var watch = client.WatchTopologyAsync(stop.Token).GetAsyncEnumerator(stop.Token);

        await agent.StartAsync();
        // On a loaded machine one authority's signature may miss an epoch's deadline (the consensus
        // is then valid with 2 of 3); some epoch within the timeout carries all three.
        var listed = await NextAsync(watch, t => t.Find(identity.IdentityKey.Span) is not null && t.Consensus!.Signers == 3).Within(EpochsTimeout);
        Assert.That(agent.Directories.Select(d => d.State), Is.All.EqualTo(NodeAgentState.Registered), "registered with every authority");

        await cluster.StopAsync(0);
        var stoppedAt = DateTimeOffset.UtcNow;
        var later = await NextAsync(watch, t => t.Version > listed.Version + 1 && t.Consensus!.Signers == 2).Within(EpochsTimeout);

        Assert.That(later.Find(identity.IdentityKey.Span), Is.Not.Null, "still listed by the two that remain");
        Assert.That(later.Consensus!.Threshold, Is.EqualTo(2));
        Assert.That(agent.State, Is.EqualTo(NodeAgentState.Registered));
        Assert.That(agent.Directories[0].State, Is.EqualTo(NodeAgentState.Reconnecting));
        Assert.That(agent.Directories.Skip(1).Select(d => d.Lease!.LastRenewedAt), Has.All.GreaterThan(stoppedAt), "the other two leases keep being renewed");
        Assert.That((await client.GetTopologyAsync().Within()).Version, Is.GreaterThanOrEqualTo(later.Version), "a fetch fails over past the stopped authority");
    }

    private static async Task<Topology> NextAsync(IAsyncEnumerator<TopologyUpdate> watch, Func<Topology, bool> matches)
    {
        while (await watch.MoveNextAsync())
        {
            if (matches(watch.Current.Topology))
            {
                return watch.Current.Topology;
            }
        }

        throw new InvalidOperationException("the watch ended");
    }
}
