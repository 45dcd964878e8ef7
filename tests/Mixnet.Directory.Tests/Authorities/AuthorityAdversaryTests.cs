using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Mixnet.Directory.Server.Authorities;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;
using NodeRole = Mixnet.Directory.V1.NodeRole;

namespace Mixnet.Directory.Tests.Authorities;

/// <summary>
/// Three authorities on loopback against a lying one, with skewed clocks, and across a restart.
/// Each test costs a few epochs of wall time, so there are few of them and each does much.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class AuthorityAdversaryTests
{
    [Test]
    public async Task Skewed_honest_authorities_outvote_a_liar_and_one_authority_alone_lists_nobody()
    {
        // Authority 0 is the liar: its server is not running, the test holds its key and sends its
        // votes. The honest two run one second fast and one second slow.
        var epochLength = TimeSpan.FromSeconds(12);
        await using var cluster = await AuthorityCluster.StartAsync(3, epochLength, time: i => i switch
        {
            1 => new OffsetTimeProvider(TimeSpan.FromSeconds(1)),
            2 => new OffsetTimeProvider(TimeSpan.FromSeconds(-1)),
            _ => null,
        });
        await cluster.StopAsync(0);
        var honest = new[] { new TestNode(NodeRole.Mixnode, 1), new TestNode(NodeRole.Mixnode, 2), new TestNode(NodeRole.Gateway) };
        using var onlyAtOne = new TestNode(NodeRole.Mixnode, 3);
        using var fake = new TestNode(NodeRole.Mixnode, 3);
        try
        {
            var requests = honest.Select(n => n.RegisterRequest(DateTimeOffset.UtcNow)).ToArray();
            foreach (var i in new[] { 1, 2 })
            {
                var registry = new RegistryService.RegistryServiceClient(cluster[i].Channel);
                foreach (var request in requests)
                {
                    await registry.RegisterNodeAsync(request).ResponseAsync.Within();
                }
            }

            await new RegistryService.RegistryServiceClient(cluster[1].Channel).RegisterNodeAsync(onlyAtOne.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();

            // The lie: the first honest node as is, the second with another sphinx key (signed by
            // the node's own key: an equivocating descriptor), the third dropped, a fake node added.
            var swappedKey = ByteString.CopyFrom(Enumerable.Repeat((byte)7, 32).ToArray());
            var lie = new[]
            {
                ConsensusFixture.Entry(requests[0]),
                ConsensusFixture.Entry(honest[1].RegisterRequest(DateTimeOffset.UtcNow, d => d.SphinxKey = swappedKey)),
                ConsensusFixture.Entry(fake.RegisterRequest(DateTimeOffset.UtcNow)),
            };
            // The next epoch of the slow clock: the fast one is then at most 2 s into it, before
            // its vote deadline, or still before it; either accepts the vote.
            var epoch = new EpochClock(epochLength).EpochAt(DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1)) + 1;
            var vote = VoteBuilder.Build(epoch, AuthorityCluster.PublicOf(cluster.Keys[0]), DateTimeOffset.UtcNow, lie).ToByteArray();
            var signedLie = new SignedVote { Vote = ByteString.CopyFrom(vote), Signature = ByteString.CopyFrom(DirectorySignatures.Sign(cluster.Keys[0], SignatureDomain.Vote, vote)) };
            var published = new[] { 1, 2 }.Select(i => cluster.Published(i, c => AuthorityCluster.Epoch(c) == epoch)).ToArray();
            foreach (var i in new[] { 1, 2 })
            {
                var stored = await new AuthorityService.AuthorityServiceClient(cluster[i].Channel).SubmitVoteAsync(new SubmitVoteRequest { Vote = signedLie }).ResponseAsync.Within();
                Assert.That(stored.Stored, Is.True, $"authority {i} holds the lie for epoch {epoch}");
            }

            var consensus = await Task.WhenAll(published).Within(TimeSpan.FromSeconds(45));

            Assert.That(consensus[1].Document, Is.EqualTo(consensus[0].Document), "both honest authorities serve the same bytes");
            Assert.That(consensus[0].Signatures.Select(s => s.AuthorityKey), Is.EquivalentTo(new[] { 1, 2 }.Select(i => ByteString.CopyFrom(AuthorityCluster.PublicOf(cluster.Keys[i])))));
            var document = ConsensusDocument.Parser.ParseFrom(consensus[0].Document);
            Assert.That(document.Nodes.Select(n => n.Descriptor_), Is.EquivalentTo(requests.Select(r => r.Descriptor_)), "exactly the honest descriptors: nothing added, dropped or swapped");
            var descriptors = document.Nodes.Select(n => NodeDescriptor.Parser.ParseFrom(n.Descriptor_)).ToList();
            Assert.That(descriptors.Select(d => d.SphinxKey), Does.Not.Contain(swappedKey));
            Assert.That(descriptors.Select(d => d.IdentityKey), Does.Not.Contain(fake.IdentityKey));
            Assert.That(descriptors.Select(d => d.IdentityKey), Does.Not.Contain(onlyAtOne.IdentityKey), "1 of 3 authorities is no majority, even after authority 2 fetched authority 1's vote");

            // The lie and authority 1's word on the lone node were both counted, just outvoted.
            var votes = cluster[2].Services.GetRequiredService<ConsensusAuthority>().VotesFor(epoch).Select(v => Vote.Parser.ParseFrom(v.Vote)).ToList();
            Assert.That(votes.Select(v => v.AuthorityKey), Has.Member(ByteString.CopyFrom(AuthorityCluster.PublicOf(cluster.Keys[0]))));
            Assert.That(votes.Single(v => v.AuthorityKey.Span.SequenceEqual(AuthorityCluster.PublicOf(cluster.Keys[1]))).Nodes.Select(n => NodeDescriptor.Parser.ParseFrom(n.Descriptor_).IdentityKey), Has.Member(onlyAtOne.IdentityKey));
        }
        finally
        {
            foreach (var node in honest)
            {
                node.Dispose();
            }
        }
    }

    [Test]
    public async Task Restarting_an_authority_mid_epoch_loses_no_epoch_and_it_serves_again()
    {
        await using var cluster = await AuthorityCluster.StartAsync(3, TimeSpan.FromSeconds(4));
        var first = await cluster.Published(0, c => c.Signatures.Count == 3).Within(TimeSpan.FromSeconds(30));
        var epoch = AuthorityCluster.Epoch(first);

        // Published at the signature deadline: half way through the epoch.
        var next = new[] { 0, 1 }.Select(i => cluster.Published(i, c => AuthorityCluster.Epoch(c) == epoch + 1)).ToArray();
        await cluster.StopAsync(2);
        await cluster.StartAsync(2);

        var others = await Task.WhenAll(next).Within(TimeSpan.FromSeconds(30));
        Assert.That(others.Select(c => c.Signatures.Count), Is.All.GreaterThanOrEqualTo(2));
        var restarted = await cluster.Published(2, c => AuthorityCluster.Epoch(c) > epoch).Within(TimeSpan.FromSeconds(30));
        Assert.That(AuthorityCluster.Epoch(restarted), Is.GreaterThan(epoch));
        var served = await new TopologyService.TopologyServiceClient(cluster[2].Channel).GetConsensusAsync(new GetConsensusRequest()).ResponseAsync.Within();
        Assert.That(AuthorityCluster.Epoch(served.Consensus), Is.GreaterThan(epoch));
    }
}
