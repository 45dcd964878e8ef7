using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Client;
using Mixnet.Directory.Client.Internal;
using Mixnet.Directory.Server.Authorities;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Authorities;

[TestFixture]
public sealed class ConsensusVerifierTests
{
    private ConsensusFixture _f = null!;
    private byte[] _document = null!;

    [SetUp]
    public void SetUp()
    {
        _f = new ConsensusFixture();
        var votes = Enumerable.Range(0, 3).Select(i => _f.VoteOf(i, _f.Entries)).ToArray();
        _document = ConsensusCombiner.Combine(_f.Epoch, _f.Clock, _f.SortedKeys, votes)!.ToByteArray();
    }

    [TearDown]
    public void TearDown() => _f.Dispose();

    [TestCase(1, 1)]
    [TestCase(2, 2)]
    [TestCase(3, 2)]
    [TestCase(4, 3)]
    [TestCase(5, 3)]
    public void The_threshold_is_a_strict_majority(int authorities, int threshold) =>
        Assert.That(ConsensusVerifier.Threshold(authorities), Is.EqualTo(threshold));

    [Test]
    public void A_threshold_below_a_majority_or_a_repeated_key_is_a_configuration_error()
    {
        Assert.That(() => ConsensusVerifier.CheckConfiguration(_f.SortedKeys, 1), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => ConsensusVerifier.CheckConfiguration(_f.SortedKeys, 4), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => ConsensusVerifier.CheckConfiguration([_f.SortedKeys[0], _f.SortedKeys[0], _f.SortedKeys[1]], 2), Throws.ArgumentException);
    }

    [TestCase(new[] { 0, 1, 2 })]
    [TestCase(new[] { 0, 2 })]
    [TestCase(new[] { 2, 1 })]
    public void Signatures_by_a_majority_are_accepted(int[] signers)
    {
        var ok = ConsensusVerifier.TryVerify(_f.Signed(_document, signers), _f.SortedKeys, 2, ConsensusFixture.Now, ConsensusVerifier.DefaultClockSkew, out var document, out var error);

        Assert.That(ok, Is.True, error);
        Assert.That(document!.Nodes, Has.Count.EqualTo(4));
    }

    [Test]
    public void One_signer_is_refused() =>
        AssertRefused(_f.Signed(_document, 1), "1 valid signatures");

    [Test]
    public void One_signature_counted_twice_is_refused()
    {
        var signed = _f.Signed(_document, 0);
        signed.Signatures.Add(signed.Signatures[0].Clone());
        AssertRefused(signed, "1 valid signatures");
    }

    [Test]
    public void Signatures_over_different_bytes_are_refused()
    {
        var other = ConsensusDocument.Parser.ParseFrom(_document);
        other.Nodes.RemoveAt(0);
        var signed = _f.Signed(_document, 0);
        signed.Signatures.Add(ConsensusFixture.SignatureOf(_f.Keys[1], other.ToByteArray()));
        AssertRefused(signed, "1 valid signatures");
    }

    [Test]
    public void Signatures_by_unknown_keys_do_not_count()
    {
        using var stranger = new ConsensusFixture(1);
        var signed = _f.Signed(_document, 0);
        signed.Signatures.Add(ConsensusFixture.SignatureOf(stranger.Keys[0], _document));
        AssertRefused(signed, "1 valid signatures");
    }

    [Test]
    public void An_expired_or_future_document_is_refused_beyond_the_clock_skew()
    {
        var document = ConsensusDocument.Parser.ParseFrom(_document);
        var validUntil = document.ValidUntil.ToDateTimeOffset();
        var validAfter = document.ValidAfter.ToDateTimeOffset();
        var signed = _f.Signed(_document, 0, 1);
        var skew = ConsensusVerifier.DefaultClockSkew;

        Assert.That(ConsensusVerifier.TryVerify(signed, _f.SortedKeys, 2, validUntil + skew - TimeSpan.FromSeconds(1), skew, out _, out _), Is.True);
        Assert.That(ConsensusVerifier.TryVerify(signed, _f.SortedKeys, 2, validAfter - skew + TimeSpan.FromSeconds(1), skew, out _, out _), Is.True);
        AssertRefused(signed, "expired", validUntil + skew + TimeSpan.FromSeconds(1));
        AssertRefused(signed, "not valid before", validAfter - skew - TimeSpan.FromSeconds(1));
    }

    [Test]
    public void A_node_with_a_bad_own_signature_makes_the_document_invalid()
    {
        var document = ConsensusDocument.Parser.ParseFrom(_document);
        document.Nodes[0].Signature = ByteString.CopyFrom(new byte[64]);
        AssertRefused(_f.Signed(document.ToByteArray(), 0, 1, 2), "nodes[0]");
    }

    [Test]
    public void Nodes_out_of_canonical_order_make_the_document_invalid()
    {
        var document = ConsensusDocument.Parser.ParseFrom(_document);
        var first = document.Nodes[0];
        document.Nodes.RemoveAt(0);
        document.Nodes.Add(first);
        AssertRefused(_f.Signed(document.ToByteArray(), 0, 1, 2), "ascending");
    }

    [Test]
    public void Times_out_of_order_are_refused()
    {
        var document = ConsensusDocument.Parser.ParseFrom(_document);
        document.FreshUntil = Timestamp.FromDateTimeOffset(document.ValidUntil.ToDateTimeOffset().AddSeconds(1));
        AssertRefused(_f.Signed(document.ToByteArray(), 0, 1, 2), "out of order");
    }

    [Test]
    public void The_sdk_maps_a_verified_consensus_to_a_topology_that_routes()
    {
        var topology = ConsensusMapping.Verify(_f.Signed(_document, 0, 1), _f.SortedKeys, 2, ConsensusFixture.Now, ConsensusVerifier.DefaultClockSkew);

        Assert.That(topology.Version, Is.EqualTo(_f.Epoch));
        Assert.That(topology.Count, Is.EqualTo(4));
        var route = DirectoryClient.SelectRoute(topology);
        Assert.That(route.Mixnodes.Select(n => n.Layer), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(() => ConsensusMapping.Verify(_f.Signed(_document, 0), _f.SortedKeys, 2, ConsensusFixture.Now, ConsensusVerifier.DefaultClockSkew),
            Throws.InstanceOf<TopologyVerificationException>());
    }

    private void AssertRefused(SignedConsensus signed, string reason, DateTimeOffset? now = null)
    {
        var ok = ConsensusVerifier.TryVerify(signed, _f.SortedKeys, 2, now ?? ConsensusFixture.Now, ConsensusVerifier.DefaultClockSkew, out var document, out var error);
        Assert.That(ok, Is.False);
        Assert.That(document, Is.Null);
        Assert.That(error, Does.Contain(reason));
    }
}
