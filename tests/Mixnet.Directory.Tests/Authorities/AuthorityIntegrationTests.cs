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
        var keys = Enumerable.Range(0, 3).Select(_ => Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport })).ToArray();
        var ports = keys.Select(_ => FreePort()).ToArray();
        var settings = new Dictionary<string, string?>
        {
            ["Directory:EpochLength"] = EpochLength.ToString(),
            ["Directory:PresenceTtl"] = "00:10:00",
        };
        for (var i = 0; i < keys.Length; i++)
        {
            settings[$"Directory:Authorities:{i}:Name"] = $"auth{i}";
            settings[$"Directory:Authorities:{i}:Key"] = KeyFingerprint.Hex(ConsensusFixture.PublicOf(keys[i]));
            settings[$"Directory:Authorities:{i}:Address"] = $"http://127.0.0.1:{ports[i]}";
        }

        var hosts = new List<DirectoryServerHost>();
        var nodes = new[] { new TestNode(NodeRole.Mixnode, 1), new TestNode(NodeRole.Mixnode, 2), new TestNode(NodeRole.Mixnode, 3), new TestNode(NodeRole.Gateway) };
        try
        {
            for (var i = 0; i < keys.Length; i++)
            {
                var dataPath = Path.Combine(Path.GetTempPath(), "mixdir-auth-" + Guid.NewGuid().ToString("N"));
                WriteKey(dataPath, keys[i]);
                hosts.Add(await DirectoryServerHost.StartAsync(settings, grpcPort: ports[i], dataPath: dataPath));
            }

            // Every authority gets the same signed bytes from each node, as a node that announces
            // itself to all authorities would send them.
            var requests = nodes.Select(n => n.RegisterRequest(DateTimeOffset.UtcNow)).ToArray();
            var full = hosts.Select(h => Published(h, c => Nodes(c) == nodes.Length && c.Signatures.Count == 3)).ToArray();
            foreach (var host in hosts)
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

            var addresses = hosts.Select(h => h.GrpcAddress).ToArray();
            var authorityKeys = keys.Select(k => (ReadOnlyMemory<byte>)ConsensusFixture.PublicOf(k)).ToArray();
            using (var client = new ConsensusClient(addresses, authorityKeys))
            {
                var topology = await client.GetTopologyAsync().Within();
                Assert.That(topology.Version, Is.GreaterThanOrEqualTo(epoch));
                Assert.That(topology.Count, Is.EqualTo(nodes.Length));
                Assert.That(DirectoryClient.SelectRoute(topology).Mixnodes, Has.Count.EqualTo(3));
            }

            // A watcher gets the current consensus at once, then the later ones.
            using var watch = new TopologyService.TopologyServiceClient(hosts[1].Channel).WatchConsensus(new WatchConsensusRequest());
            Assert.That(await watch.ResponseStream.MoveNext().Within(), Is.True);
            Assert.That(Epoch(watch.ResponseStream.Current.Consensus), Is.GreaterThanOrEqualTo(epoch));

            // One authority stops: the other two still make a consensus with 2 of 3 signatures.
            var later = hosts.Skip(1).Select(h => Published(h, c => Epoch(c) > epoch + 1 && Nodes(c) == nodes.Length)).ToArray();
            await hosts[0].DisposeAsync();
            var stopped = hosts[0];
            hosts.RemoveAt(0);
            stopped.DeleteData();
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

            foreach (var host in hosts)
            {
                host.AssertNoUnexpectedErrors();
            }
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
                host.DeleteData();
            }

            foreach (var node in nodes)
            {
                node.Dispose();
            }

            foreach (var key in keys)
            {
                key.Dispose();
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

    private static Task<SignedConsensus> Published(DirectoryServerHost host, Func<SignedConsensus, bool> matches)
    {
        var authority = host.Services.GetRequiredService<ConsensusAuthority>();
        var done = new TaskCompletionSource<SignedConsensus>(TaskCreationOptions.RunContinuationsAsynchronously);
        authority.Published += c =>
        {
            if (matches(c))
            {
                done.TrySetResult(c);
            }
        };
        if (authority.Current is { } current && matches(current))
        {
            done.TrySetResult(current);
        }

        return done.Task;
    }

    private static ulong Epoch(SignedConsensus consensus) => ConsensusDocument.Parser.ParseFrom(consensus.Document).Epoch;

    private static int Nodes(SignedConsensus consensus) => ConsensusDocument.Parser.ParseFrom(consensus.Document).Nodes.Count;

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static void WriteKey(string dataPath, Key key)
    {
        System.IO.Directory.CreateDirectory(dataPath);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(Path.Combine(dataPath, "directory.key"), options);
        stream.Write(key.Export(KeyBlobFormat.PkixPrivateKeyText));
    }
}
