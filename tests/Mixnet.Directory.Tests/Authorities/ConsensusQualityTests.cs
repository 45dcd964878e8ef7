using Google.Protobuf;
using Mixnet.Directory.Server.Authorities;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Authorities;

/// <summary>Quality in the consensus: the median of the votes' figures for numbers, the majority for excluded.</summary>
[TestFixture]
public sealed class ConsensusQualityTests
{
    private ConsensusFixture _f = null!;

    [SetUp]
    public void SetUp() => _f = new ConsensusFixture();

    [TearDown]
    public void TearDown() => _f.Dispose();

    [Test]
    public void Numbers_are_the_median_of_the_votes_and_excluded_follows_the_majority()
    {
        // Node 0: three figures; node 1: two (one authority has none); node 2: none at all.
        var votes = new[]
        {
            Vote(0, (0, Q(0.9, 0.2, 1.0, excluded: true)), (1, Q(0.4, 0.4, 0.5, excluded: false))),
            Vote(1, (0, Q(0.5, 0.8, 0.1, excluded: false)), (1, Q(0.8, 0.6, 0.7, excluded: true))),
            Vote(2, (0, Q(0.7, 0.5, 0.3, excluded: true))),
        };

        var document = ConsensusCombiner.Combine(_f.Epoch, _f.Clock, _f.SortedKeys, votes)!;
        var byId = document.Nodes.ToDictionary(n => NodeDescriptor.Parser.ParseFrom(n.Descriptor_).IdentityKey);

        var first = byId[ByteString.CopyFrom(_f.Entries[0].IdentityKey)].NodeQuality;
        Assert.That((first.Reliability, first.Reliability24H, first.Uptime, first.Excluded), Is.EqualTo((0.7, 0.5, 0.3, true)), "medians of (0.9, 0.5, 0.7), (0.2, 0.8, 0.5), (1, 0.1, 0.3); 2 of 3 exclude");
        Assert.That(first.IdentityKey.ToByteArray(), Is.EqualTo(_f.Entries[0].IdentityKey));
        var second = byId[ByteString.CopyFrom(_f.Entries[1].IdentityKey)].NodeQuality;
        Assert.That((second.Reliability, second.Reliability24H, second.Uptime, second.Excluded), Is.EqualTo((0.4, 0.4, 0.5, false)), "the lower of two; 1 of 2 is no majority");
        Assert.That(byId[ByteString.CopyFrom(_f.Entries[2].IdentityKey)].NodeQuality, Is.Null);

        // One authority's extreme figure cannot move a median past the honest ones, and the order
        // of the votes does not matter: the bytes are the same.
        var liar = Vote(2, (0, Q(0.0, 0.0, 0.0, excluded: true)));
        var withLiar = ConsensusCombiner.Combine(_f.Epoch, _f.Clock, _f.SortedKeys, [votes[0], votes[1], liar])!;
        var moved = withLiar.Nodes.Single(n => NodeDescriptor.Parser.ParseFrom(n.Descriptor_).IdentityKey.Span.SequenceEqual(_f.Entries[0].IdentityKey)).NodeQuality;
        Assert.That(moved.Reliability, Is.EqualTo(0.5));
        Assert.That(ConsensusCombiner.Combine(_f.Epoch, _f.Clock, _f.SortedKeys, votes.Reverse().ToArray())!.ToByteArray(), Is.EqualTo(document.ToByteArray()));
    }

    [Test]
    public void A_vote_with_a_figure_out_of_range_or_for_another_node_is_refused()
    {
        var nan = Vote(1, (0, Q(double.NaN, 0.5, 0.5, excluded: false)));
        var misnamed = Vote(1, (0, Q(0.5, 0.5, 0.5, excluded: false)));
        misnamed.Nodes.Single(n => n.NodeQuality is not null).NodeQuality.IdentityKey = ByteString.CopyFrom(_f.Entries[1].IdentityKey);

        foreach (var vote in new[] { nan, misnamed })
        {
            var bytes = vote.ToByteArray();
            var signed = new SignedVote { Vote = ByteString.CopyFrom(bytes), Signature = ByteString.CopyFrom(DirectorySignatures.Sign(_f.Keys[1], SignatureDomain.Vote, bytes)) };
            var error = Assert.Throws<DirectoryException>(() => VoteValidator.Validate(signed, _f.SortedKeys, _f.Epoch, 100));
            Assert.That(error!.Message, Does.Contain("node_quality"));
        }
    }

    private Vote Vote(int authority, params (int Node, NodeQuality Quality)[] figures)
    {
        var entries = _f.Entries.Select((e, i) =>
        {
            var quality = figures.Where(f => f.Node == i).Select(f => f.Quality.Clone()).FirstOrDefault();
            if (quality is not null)
            {
                quality.IdentityKey = ByteString.CopyFrom(e.IdentityKey);
            }

            return (e.IdentityKey, e.Descriptor, e.Signature, quality);
        });
        return VoteBuilder.BuildWithQuality(_f.Epoch, ConsensusFixture.PublicOf(_f.Keys[authority]), ConsensusFixture.Now, entries);
    }

    private static NodeQuality Q(double reliability, double reliability24h, double uptime, bool excluded) =>
        new() { Reliability = reliability, Reliability24H = reliability24h, Uptime = uptime, Excluded = excluded };
}
