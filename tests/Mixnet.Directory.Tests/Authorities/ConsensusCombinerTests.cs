using Google.Protobuf;
using Mixnet.Directory.Server.Authorities;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Authorities;

[TestFixture]
public sealed class ConsensusCombinerTests
{
    private ConsensusFixture _f = null!;

    [SetUp]
    public void SetUp() => _f = new ConsensusFixture();

    [TearDown]
    public void TearDown() => _f.Dispose();

    [Test]
    public void Three_honest_votes_give_byte_identical_documents_whatever_the_order()
    {
        var votes = new[] { _f.VoteOf(0, _f.Entries), _f.VoteOf(1, _f.Entries.Reverse()), _f.VoteOf(2, _f.Entries) };
        var first = ConsensusCombiner.Combine(_f.Epoch, _f.Clock, _f.SortedKeys, votes)!.ToByteArray();
        var second = ConsensusCombiner.Combine(_f.Epoch, _f.Clock, _f.SortedKeys, votes.Reverse().ToArray())!.ToByteArray();

        Assert.That(second, Is.EqualTo(first));
        var document = ConsensusDocument.Parser.ParseFrom(first);
        Assert.That(document.Nodes, Has.Count.EqualTo(4));
        Assert.That(document.AuthorityKeys.Select(k => k.ToByteArray()), Is.EqualTo(_f.SortedKeys));
        Assert.That(document.ValidAfter.ToDateTimeOffset(), Is.EqualTo(_f.Clock.StartOf(_f.Epoch)));
        Assert.That(ConsensusVerifier.TryCheckDocument(document, ConsensusFixture.Now, ConsensusVerifier.DefaultClockSkew, out var error), Is.True, error);
    }

    [Test]
    public void A_lying_authority_cannot_add_drop_or_swap_nodes()
    {
        using var fake = new TestNode(NodeRole.Mixnode, 1);
        var victim = _f.Nodes[1];
        // The victim's own signature over a descriptor with another sphinx key (an equivocating or
        // replayed descriptor): valid on its own, but only one authority carries it.
        var swapped = ConsensusFixture.Entry(victim.RegisterRequest(ConsensusFixture.Now, d => d.SphinxKey = ByteString.CopyFrom(new byte[32])));
        var lies = _f.Entries.Skip(2).Append(swapped).Append(ConsensusFixture.Entry(fake.RegisterRequest(ConsensusFixture.Now)));
        var votes = new[] { _f.VoteOf(0, _f.Entries), _f.VoteOf(1, _f.Entries), _f.VoteOf(2, lies) };

        var document = ConsensusCombiner.Combine(_f.Epoch, _f.Clock, _f.SortedKeys, votes)!;

        var listed = document.Nodes.Select(n => n.Descriptor_.ToByteArray()).ToList();
        Assert.That(listed, Is.EquivalentTo(_f.Entries.Select(e => e.Descriptor)), "exactly the honest descriptors");
        var sphinxKeys = document.Nodes.Select(n => NodeDescriptor.Parser.ParseFrom(n.Descriptor_).SphinxKey).ToList();
        Assert.That(sphinxKeys, Does.Not.Contain(ByteString.CopyFrom(new byte[32])));
        Assert.That(document.Nodes.Select(n => NodeDescriptor.Parser.ParseFrom(n.Descriptor_).IdentityKey), Does.Not.Contain(fake.IdentityKey));
    }

    [Test]
    public void A_majority_counts_configured_authorities_not_the_votes_received()
    {
        // Two of three votes arrived; a node in only one of them has 1 of 3, not 1 of 2.
        var votes = new[] { _f.VoteOf(0, _f.Entries), _f.VoteOf(1, _f.Entries.Take(2)) };

        var document = ConsensusCombiner.Combine(_f.Epoch, _f.Clock, _f.SortedKeys, votes)!;

        Assert.That(document.Nodes.Select(n => n.Descriptor_.ToByteArray()), Is.EquivalentTo(_f.Entries.Take(2).Select(e => e.Descriptor)));
    }

    [Test]
    public void Fewer_votes_than_the_threshold_give_no_document()
    {
        var one = new[] { _f.VoteOf(0, _f.Entries) };

        Assert.That(ConsensusCombiner.Combine(_f.Epoch, _f.Clock, _f.SortedKeys, one), Is.Null);
    }

    [Test]
    public void One_authority_voting_twice_or_listing_a_node_twice_counts_once()
    {
        using var fake = new TestNode(NodeRole.Mixnode, 1);
        var fakeEntry = ConsensusFixture.Entry(fake.RegisterRequest(ConsensusFixture.Now));
        var liar = _f.VoteOf(2, _f.Entries);
        liar.Nodes.Add(new ConsensusNode { Descriptor_ = ByteString.CopyFrom(fakeEntry.Descriptor), Signature = ByteString.CopyFrom(fakeEntry.Signature) });
        liar.Nodes.Add(liar.Nodes[^1].Clone());
        var votes = new[] { _f.VoteOf(0, _f.Entries), liar, liar.Clone() };

        var document = ConsensusCombiner.Combine(_f.Epoch, _f.Clock, _f.SortedKeys, votes)!;

        Assert.That(document.Nodes.Select(n => NodeDescriptor.Parser.ParseFrom(n.Descriptor_).IdentityKey), Does.Not.Contain(fake.IdentityKey));
        Assert.That(document.Nodes, Has.Count.EqualTo(4));
    }

    [Test]
    public void A_node_whose_own_signature_fails_is_left_out_even_with_a_majority()
    {
        var forged = _f.Entries.Select((e, i) => i == 0 ? (e.IdentityKey, e.Descriptor, new byte[64]) : e).ToArray();
        var votes = new[] { _f.VoteOf(0, forged), _f.VoteOf(1, forged), _f.VoteOf(2, forged) };

        var document = ConsensusCombiner.Combine(_f.Epoch, _f.Clock, _f.SortedKeys, votes)!;

        Assert.That(document.Nodes, Has.Count.EqualTo(3));
        Assert.That(document.Nodes.Select(n => n.Descriptor_.ToByteArray()), Does.Not.Contain(_f.Entries[0].Descriptor));
    }

    [Test]
    public void Only_the_own_votes_entries_skip_the_signature_check()
    {
        // Authorities 1 and 2 carry a forged entry; authority 0 (this one) does not: the majority
        // does not spare it the check, only this authority's own registry would have.
        var forged = _f.Entries.Select((e, i) => i == 0 ? (e.IdentityKey, e.Descriptor, new byte[64]) : e).ToArray();
        var votes = new[] { _f.VoteOf(0, _f.Entries.Skip(1)), _f.VoteOf(1, forged), _f.VoteOf(2, forged) };

        var document = ConsensusCombiner.Combine(_f.Epoch, _f.Clock, _f.SortedKeys, votes, ConsensusFixture.PublicOf(_f.Keys[0]))!;

        Assert.That(document.Nodes.Select(n => n.Descriptor_.ToByteArray()), Is.EquivalentTo(_f.Entries.Skip(1).Select(e => e.Descriptor)));
    }

    [Test]
    public void Votes_for_another_epoch_are_ignored()
    {
        var votes = new[] { _f.VoteOf(0, _f.Entries), _f.VoteOf(1, _f.Entries, _f.Epoch - 1), _f.VoteOf(2, _f.Entries, _f.Epoch + 1) };

        Assert.That(ConsensusCombiner.Combine(_f.Epoch, _f.Clock, _f.SortedKeys, votes), Is.Null);
    }
}
