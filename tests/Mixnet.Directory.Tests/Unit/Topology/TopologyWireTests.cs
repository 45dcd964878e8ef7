using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Server.Topology;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Unit.Support;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Unit.Topology;

/// <summary>
/// Snapshots and deltas are written from the descriptor bytes the registry keeps, not by the
/// generated serializer; these hold them to the bytes that serializing the descriptors, parsed
/// from what the nodes signed, into the generated messages gives.
/// </summary>
public sealed class TopologyWireTests
{
    private PublisherHarness _p = null!;

    // What the directory parsed from each registration: the objects it used to serialize.
    private readonly Dictionary<ByteString, NodeDescriptor> _parsed = [];

    private RegistryHarness H => _p.Registry;

    [SetUp]
    public void SetUp() => _p = new PublisherHarness();

    [TearDown]
    public void TearDown() => _p.Dispose();

    [Test]
    public void GetSnapshot_MixOfLayersAndGateways_BytesEqualGeneratedSerializer()
    {
        foreach (var node in new[] { H.Mixnode(layer: 3), H.Gateway(), H.Mixnode(layer: 1), H.Mixnode(layer: 2), H.Gateway(), H.Mixnode(layer: 1), H.Mixnode(layer: 3) })
        {
            Register(node, node.Sign(H.Now));
        }

        // Bytes that are not in the directory's own encoding: a field from a newer schema, and
        // signed_at written first. The snapshot carries what the parsed descriptor serializes to.
        var newer = H.Mixnode(layer: 2);
        Register(newer, newer.SignBytes(ByteString.CopyFrom([.. newer.DescriptorAt(H.Now).ToByteArray(), 15 << 3, 1])));
        var reordered = H.Gateway();
        var withoutSignedAt = reordered.DescriptorAt(H.Now);
        withoutSignedAt.SignedAt = null;
        var signedAtOnly = new NodeDescriptor { SignedAt = Timestamp.FromDateTimeOffset(H.Now) };
        Register(reordered, reordered.SignBytes(ByteString.CopyFrom([.. signedAtOnly.ToByteArray(), .. withoutSignedAt.ToByteArray()])));
        _p.Publisher.PublishPending();
        var current = _p.Publisher.Current;

        var signed = TopologyPublisher.GetSnapshot(current);

        var expected = new TopologySnapshot
        {
            Version = current.Version,
            IssuedAt = Timestamp.FromDateTimeOffset(current.PublishedAt),
            Mixnodes = { InSnapshotOrder(_parsed.Values.Where(d => d.Role == NodeRole.Mixnode)) },
            Gateways = { InSnapshotOrder(_parsed.Values.Where(d => d.Role == NodeRole.Gateway)) },
        };
        var parsedBack = _p.VerifiedSnapshot(signed);
        Assert.Multiple(() =>
        {
            Assert.That(signed.Topology.ToByteArray(), Is.EqualTo(expected.ToByteArray()));
            Assert.That(parsedBack, Is.EqualTo(expected));
            Assert.That(parsedBack.Mixnodes.Select(d => d.Layer), Is.EqualTo(new uint[] { 1, 1, 2, 2, 3, 3 }));
            Assert.That(parsedBack.Gateways, Has.Count.EqualTo(3));
            Assert.That(parsedBack.Mixnodes.Concat(parsedBack.Gateways).Select(d => d.IdentityKey), Is.EquivalentTo(_parsed.Keys));
            Assert.That(parsedBack.Mixnodes.Single(d => d.IdentityKey == PublisherHarness.Id(newer)).CalculateSize(),
                Is.EqualTo(newer.DescriptorAt(H.Now).CalculateSize() + 2), "the unknown field is kept, as the parsed descriptor kept it");
        });
    }

    [Test]
    public void GetSnapshot_NoNodes_BytesEqualGeneratedSerializer()
    {
        var current = _p.Publisher.Current;

        var signed = TopologyPublisher.GetSnapshot(current);

        var expected = new TopologySnapshot { Version = current.Version, IssuedAt = Timestamp.FromDateTimeOffset(current.PublishedAt) };
        Assert.That(signed.Topology.ToByteArray(), Is.EqualTo(expected.ToByteArray()));
    }

    [Test]
    public void PublishPending_JoinChangeAndLeave_BytesEqualGeneratedSerializer()
    {
        var changes = H.Mixnode(layer: 2);
        var leaves = H.Gateway();
        var stays = H.Mixnode(layer: 1);
        Register(changes, changes.Sign(H.Now));
        var lease = Register(leaves, leaves.Sign(H.Now));
        Register(stays, stays.Sign(H.Now));
        _p.Publisher.PublishPending();
        var from = _p.Publisher.Current.Version;
        H.Time.Advance(TimeSpan.FromSeconds(1));
        changes.SphinxKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        Register(changes, changes.Sign(H.Now));
        var joins = H.Gateway();
        Register(joins, joins.Sign(H.Now));
        H.Registry.Deregister(leaves.IdentityKey.Span, lease.LeaseToken);

        var published = _p.Publisher.PublishPending()!;

        var upserted = new[] { _parsed[PublisherHarness.Id(changes)], _parsed[PublisherHarness.Id(joins)] }
            .OrderBy(d => Convert.ToHexString(d.IdentityKey.Span), StringComparer.Ordinal);
        var expected = new TopologyDelta
        {
            FromVersion = from,
            ToVersion = H.Membership.State.Version,
            IssuedAt = Timestamp.FromDateTimeOffset(H.Now),
            Upserted = { upserted },
            Removed = { PublisherHarness.Id(leaves) },
        };
        var delta = _p.VerifiedDelta(published.Message);
        Assert.Multiple(() =>
        {
            Assert.That(published.Message.Delta.Delta.ToByteArray(), Is.EqualTo(expected.ToByteArray()));
            Assert.That(delta.Upserted.Single(d => d.IdentityKey == PublisherHarness.Id(changes)).SphinxKey.ToByteArray(), Is.EqualTo(changes.SphinxKey));
            Assert.That(delta.Upserted.Select(d => d.IdentityKey), Does.Not.Contain(PublisherHarness.Id(stays)));
        });
    }

    // Layer, then identity key as unsigned bytes, which upper-case hex compares in ordinally.
    private static IEnumerable<NodeDescriptor> InSnapshotOrder(IEnumerable<NodeDescriptor> descriptors) =>
        descriptors.OrderBy(d => d.Layer).ThenBy(d => Convert.ToHexString(d.IdentityKey.Span), StringComparer.Ordinal);

    private Server.Registry.RegistrationResult Register(TestNode node, SignedDescriptor signed)
    {
        var result = H.Registry.Register(signed.Descriptor, signed.Signature);
        _parsed[PublisherHarness.Id(node)] = NodeDescriptor.Parser.ParseFrom(signed.Descriptor);
        return result;
    }
}
