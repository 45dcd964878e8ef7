using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Mixnet.Directory.Client;
using Mixnet.Directory.Server.Authorities;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;
using NSec.Cryptography;
using NodeRole = Mixnet.Directory.V1.NodeRole;

namespace Mixnet.Directory.Tests.Authorities;

/// <summary>Three authorities on loopback, each with its own key file, voting in 4-second epochs.</summary>
[TestFixture]
[NonParallelizable]
public sealed class AuthorityIntegrationTests
{
    private static readonly TimeSpan EpochLength = TimeSpan.FromSeconds(4);

    [Test]
    public async Task Three_authorities_publish_a_consensus_that_survives_one_of_them_stopping()
    {
        await using var cluster = await AuthorityCluster.StartAsync(3, EpochLength);
        var nodes = new[] { new TestNode(NodeRole.Mixnode, 1), new TestNode(NodeRole.Mixnode, 2), new TestNode(NodeRole.Mixnode, 3), new TestNode(NodeRole.Gateway) };
        try
        {
            // Every authority gets the same signed bytes from each node, as a node that announces
            // itself to all authorities would send them.
            var requests = nodes.Select(n => n.RegisterRequest(DateTimeOffset.UtcNow)).ToArray();
            var full = Enumerable.Range(0, 3).Select(i => cluster.Published(i, c => Nodes(c) == nodes.Length && c.Signatures.Count == 3)).ToArray();
            foreach (var host in cluster.Running)
            {
                var registry = new RegistryService.RegistryServiceClient(host.Channel);
                foreach (var request in requests)
                {
                    await registry.RegisterNodeAsync(request);
                }
            }

            var consensus = await Task.WhenAll(full).Within(TimeSpan.FromSeconds(40));
            var epoch = Epoch(consensus[0]);
            Assert.That(consensus.Select(c => c.Document), Is.All.EqualTo(consensus[0].Document), "every authority serves the same document");

            var addresses = cluster.Addresses;
            var authorityKeys = cluster.PublicKeys;
            using (var client = new ConsensusClient(addresses, authorityKeys))
            {
                var topology = await client.GetTopologyAsync().Within();
                Assert.That(topology.Version, Is.GreaterThanOrEqualTo(epoch));
                Assert.That(topology.Count, Is.EqualTo(nodes.Length));
                Assert.That(DirectoryClient.SelectRoute(topology).Mixnodes, Has.Count.EqualTo(3));
            }

            // A watcher gets the current consensus at once, then the later ones.
            using var watch = new TopologyService.TopologyServiceClient(cluster[1].Channel).WatchConsensus(new WatchConsensusRequest());
            Assert.That(await watch.ResponseStream.MoveNext().Within(), Is.True);
            Assert.That(Epoch(watch.ResponseStream.Current.Consensus), Is.GreaterThanOrEqualTo(epoch));

            // One authority stops: the other two still make a consensus with 2 of 3 signatures.
            var later = new[] { 1, 2 }.Select(i => cluster.Published(i, c => Epoch(c) > epoch + 1 && Nodes(c) == nodes.Length)).ToArray();
            await cluster.StopAsync(0);
            var twoOfThree = await Task.WhenAll(later).Within(TimeSpan.FromSeconds(40));
            Assert.That(twoOfThree[0].Signatures, Has.Count.EqualTo(2));
            while (Epoch(watch.ResponseStream.Current.Consensus) <= epoch + 1)
            {
                Assert.That(await watch.ResponseStream.MoveNext().Within(), Is.True);
            }

            Assert.That(ConsensusDocument.Parser.ParseFrom(watch.ResponseStream.Current.Consensus.Document).Nodes, Has.Count.EqualTo(nodes.Length));

            // The SDK fails over past the stopped authority (listed first) and accepts 2 of 3.
            using (var client = new ConsensusClient(addresses, authorityKeys))
            {
                var topology = await client.GetTopologyAsync().Within();
                Assert.That(topology.Version, Is.GreaterThan(epoch + 1));
                Assert.That(topology.Count, Is.EqualTo(nodes.Length));
            }

            // A client that demands all three signatures refuses the 2-of-3 consensus.
            using (var strict = new ConsensusClient(addresses, authorityKeys, threshold: 3))
            {
                Assert.That(async () => await strict.GetTopologyAsync().Within(), Throws.InstanceOf<TopologyVerificationException>());
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Dispose();
            }
        }
    }

    [Test]
    public async Task A_directory_without_authorities_serves_no_consensus_and_no_authority_service()
    {
        await using var host = await DirectoryServerHost.StartAsync();
        var topology = new TopologyService.TopologyServiceClient(host.Channel);
        var authority = new AuthorityService.AuthorityServiceClient(host.Channel);

        var noConsensus = Assert.ThrowsAsync<RpcException>(async () => await topology.GetConsensusAsync(new GetConsensusRequest()));
        var noService = Assert.ThrowsAsync<RpcException>(async () => await authority.SubmitVoteAsync(new SubmitVoteRequest()));

        Assert.That(noConsensus!.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition));
        Assert.That(noService!.StatusCode, Is.EqualTo(StatusCode.Unimplemented));
        Assert.That(host.Services.GetService<ConsensusAuthority>(), Is.Null);
        host.DeleteData();
    }

    [Test]
    public async Task An_authority_whose_key_is_not_configured_refuses_to_start()
    {
        using var other = Key.Create(SignatureAlgorithm.Ed25519);
        var settings = new Dictionary<string, string?>
        {
            ["Directory:Authorities:0:Name"] = "someone-else",
            ["Directory:Authorities:0:Key"] = KeyFingerprint.Hex(ConsensusFixture.PublicOf(other)),
            ["Directory:Authorities:0:Address"] = "http://127.0.0.1:1",
        };

        var error = Assert.CatchAsync(async () => await DirectoryServerHost.StartAsync(settings));

        Assert.That(error!.ToString(), Does.Contain("is not one of Directory:Authorities"));
    }

    private static ulong Epoch(SignedConsensus consensus) => AuthorityCluster.Epoch(consensus);

    private static int Nodes(SignedConsensus consensus) => AuthorityCluster.Nodes(consensus);
}
