using Google.Protobuf;
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
using Mixnet.Directory.Tests.Unit.Support;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Unit.Domain;

public sealed class NodeRegistryRegisterTests
{
    private RegistryHarness _h = null!;

    [SetUp]
    public void SetUp() => _h = new RegistryHarness();

    [TearDown]
    public void TearDown() => _h.Dispose();

    [Test]
    public void Register_ValidMixnode_AcceptedWithLeaseAndVersionBump()
    {
        var node = _h.Mixnode(layer: 2);
        var before = _h.Membership.State.Version;

        var result = _h.Register(node);

        Assert.Multiple(() =>
        {
            Assert.That(result.LeaseToken, Has.Length.EqualTo(32));
            Assert.That(result.LeaseToken, Is.Not.EqualTo(new byte[32]));
            Assert.That(result.Replaced, Is.False);
            Assert.That(result.TopologyVersion, Is.EqualTo(before + 1));
            Assert.That(_h.Membership.State.Version, Is.EqualTo(result.TopologyVersion));
            Assert.That(_h.Leases.Count, Is.EqualTo(1));
            Assert.That(_h.Membership.State.Nodes, Has.Count.EqualTo(1));
            var record = _h.Leases.Find(node.IdentityKey.Span);
            Assert.That(record, Is.Not.Null);
            Assert.That(record!.Descriptor.Layer, Is.EqualTo(2u));
            Assert.That(record.RegisteredAt, Is.EqualTo(_h.Now));
            Assert.That(record.LastSeen, Is.EqualTo(_h.Now));
        });
    }

    [Test]
    public void Register_ValidGateway_AcceptedWithClientPort()
    {
        var node = _h.Gateway();

        var result = _h.Register(node);

        var record = _h.Leases.Find(node.IdentityKey.Span);
        Assert.Multiple(() =>
        {
            Assert.That(result.LeaseToken, Has.Length.EqualTo(32));
            Assert.That(record?.Descriptor.Role, Is.EqualTo(NodeRole.Gateway));
            Assert.That(record?.Descriptor.ClientPort, Is.EqualTo(9000u));
            Assert.That(record?.Descriptor.Layer, Is.Zero);
        });
    }

    [Test]
    public void Register_TwoNodes_DistinctTokensAndConsecutiveVersions()
    {
        var a = _h.Register(_h.Mixnode());
        var b = _h.Register(_h.Mixnode());

        Assert.Multiple(() =>
        {
            Assert.That(a.LeaseToken, Is.Not.EqualTo(b.LeaseToken));
            Assert.That(b.TopologyVersion, Is.EqualTo(a.TopologyVersion + 1));
            Assert.That(_h.Leases.Count, Is.EqualTo(2));
        });
    }

    [Test]
    public void Register_RaisesTopologyChangedWithNewVersion()
    {
        var seen = new List<ulong>();
        _h.Membership.Changed += seen.Add;

        var result = _h.Register(_h.Mixnode());

        Assert.That(seen, Is.EqualTo(new[] { result.TopologyVersion }));
    }

    [Test]
    public void Register_SameSignedAtAsStored_FailedPreconditionAndOriginalLeaseStillWorks()
    {
        var node = _h.Mixnode();
        var signedAt = _h.Now;
        var first = _h.Register(node, signedAt);
        var before = RegistrySnapshot.Of(_h);

        var ex = _h.RegisterRefused(node, signedAt);

        Assert.That((ex.Kind, ex.Field), Is.EqualTo((DirectoryErrorKind.FailedPrecondition, "descriptor.signed_at")));
        before.AssertUnchanged(_h);
        Assert.That(_h.Heartbeat(node.IdentityKey.Span, first.LeaseToken), Is.EqualTo(HeartbeatOutcome.Renewed));
    }

    [Test]
    public void Register_ExactReplayOfStoredBytes_FailedPreconditionAndOriginalLeaseStillWorks()
    {
        var node = _h.Mixnode();
        var signed = node.Sign(_h.Now);
        var first = _h.Registry.Register(signed.Descriptor, signed.Signature);
        _h.Time.Advance(TimeSpan.FromSeconds(3));
        var before = RegistrySnapshot.Of(_h);

        var ex = Assert.Throws<DirectoryException>(() => _h.Registry.Register(signed.Descriptor, signed.Signature))!;

        Assert.That(ex.Kind, Is.EqualTo(DirectoryErrorKind.FailedPrecondition));
        before.AssertUnchanged(_h);
        Assert.That(_h.Heartbeat(node.IdentityKey.Span, first.LeaseToken), Is.EqualTo(HeartbeatOutcome.Renewed));
    }

    [Test]
    public void Register_OlderSignedAtThanStored_FailedPreconditionAndNewAddressNotApplied()
    {
        var node = _h.Mixnode();
        var first = _h.Register(node, _h.Now);
        var originalPort = node.MixPort;
        node.MixPort = TestNode.NextPort();
        var before = RegistrySnapshot.Of(_h);

        var ex = _h.RegisterRefused(node, _h.Now.AddSeconds(-10));

        Assert.That((ex.Kind, ex.Field), Is.EqualTo((DirectoryErrorKind.FailedPrecondition, "descriptor.signed_at")));
        before.AssertUnchanged(_h);
        Assert.Multiple(() =>
        {
            Assert.That(_h.Leases.Find(node.IdentityKey.Span)?.Descriptor.MixPort, Is.EqualTo(originalPort));
            Assert.That(_h.Heartbeat(node.IdentityKey.Span, first.LeaseToken), Is.EqualTo(HeartbeatOutcome.Renewed));
        });
    }

    [Test]
    public void Register_NewerSignedAt_ReplacesLeaseOldTokenRefused()
    {
        var node = _h.Mixnode();
        var first = _h.Register(node);
        _h.Time.Advance(TimeSpan.FromSeconds(1));

        var second = _h.Register(node);

        Assert.Multiple(() =>
        {
            Assert.That(second.Replaced, Is.True);
            Assert.That(second.LeaseToken, Is.Not.EqualTo(first.LeaseToken));
            Assert.That(_h.Leases.Count, Is.EqualTo(1));
            Assert.That(_h.Heartbeat(node.IdentityKey.Span, first.LeaseToken), Is.EqualTo(HeartbeatOutcome.WrongToken));
            Assert.That(_h.Heartbeat(node.IdentityKey.Span, second.LeaseToken), Is.EqualTo(HeartbeatOutcome.Renewed));
        });
    }

    [Test]
    public void Find_DescriptorEditedByCaller_RecordStillHoldsWhatWasSigned()
    {
        var node = _h.Mixnode(layer: 2);
        _h.Register(node);
        var record = _h.Leases.Find(node.IdentityKey.Span)!;

        var handedOut = record.Descriptor;
        handedOut.Host = "elsewhere.example";
        handedOut.Layer = 3;

        Assert.Multiple(() =>
        {
            Assert.That(record.Descriptor, Is.EqualTo(node.DescriptorAt(_h.Now)));
            Assert.That(record.Layer, Is.EqualTo(2u));
            Assert.That(record.Endpoint.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(record.SignedAt, Is.EqualTo(_h.Now));
        });
    }

    [Test]
    public void Register_AgainWithIdenticalFields_NoVersionBumpNoEvent()
    {
        var node = _h.Mixnode();
        var first = _h.Register(node);
        var stateBefore = _h.Membership.State;
        var events = 0;
        _h.Membership.Changed += _ => events++;
        _h.Time.Advance(TimeSpan.FromSeconds(1));

        var second = _h.Register(node);

        Assert.Multiple(() =>
        {
            Assert.That(second.TopologyVersion, Is.EqualTo(first.TopologyVersion));
            Assert.That(_h.Membership.State.Version, Is.EqualTo(first.TopologyVersion));
            Assert.That(_h.Membership.State, Is.SameAs(stateBefore));
            Assert.That(events, Is.Zero);
            Assert.That(_h.Leases.Find(node.IdentityKey.Span)?.TokenMatches(second.LeaseToken), Is.True);
        });
    }

    [Test]
    public void Register_AgainWithNewSphinxKey_BumpsVersionAndPublishesNewKey()
    {
        var node = _h.Mixnode();
        var first = _h.Register(node);
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        node.SphinxKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

        var second = _h.Register(node);

        Assert.Multiple(() =>
        {
            Assert.That(second.TopologyVersion, Is.EqualTo(first.TopologyVersion + 1));
            Assert.That(_h.Membership.State.Nodes.Values.Single().Descriptor.SphinxKey.ToByteArray(), Is.EqualTo(node.SphinxKey));
            Assert.That(_h.Leases.Count, Is.EqualTo(1));
        });
    }

    [Test]
    public void Register_AgainWithNewAddress_FreesOldEndpointForOthers()
    {
        var node = _h.Mixnode(mixPort: 4000);
        _h.Register(node);
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        node.MixPort = 4001;
        _h.Register(node);
        var other = _h.Mixnode(mixPort: 4000);

        var result = _h.Register(other);

        Assert.Multiple(() =>
        {
            Assert.That(result.Replaced, Is.False);
            Assert.That(_h.Leases.Count, Is.EqualTo(2));
        });
        var blocked = _h.Mixnode(mixPort: 4001);
        Assert.That(_h.RegisterRefused(blocked).Kind, Is.EqualTo(DirectoryErrorKind.AlreadyExists));
    }

    [Test]
    public void Register_EndpointHeldByLiveNode_AlreadyExistsHostAndNoStateChange()
    {
        var holder = _h.Mixnode(host: "mix.example.org", mixPort: 1789);
        var holderLease = _h.Register(holder);
        var intruder = _h.Mixnode(host: "MIX.example.org", mixPort: 1789);
        var before = RegistrySnapshot.Of(_h);

        var ex = _h.RegisterRefused(intruder);

        Assert.That((ex.Kind, ex.Field), Is.EqualTo((DirectoryErrorKind.AlreadyExists, "descriptor.host")));
        before.AssertUnchanged(_h);
        Assert.Multiple(() =>
        {
            Assert.That(_h.Leases.Find(intruder.IdentityKey.Span), Is.Null);
            Assert.That(_h.Heartbeat(holder.IdentityKey.Span, holderLease.LeaseToken), Is.EqualTo(HeartbeatOutcome.Renewed));
        });
    }

    [Test]
    public void Register_SameHostDifferentMixPort_Accepted()
    {
        _h.Register(_h.Mixnode(mixPort: 2000));

        _h.Register(_h.Mixnode(mixPort: 2001));

        Assert.That(_h.Leases.Count, Is.EqualTo(2));
    }

    [Test]
    public void Register_EndpointHeldByExpiredUnsweptNode_TakesOverAndDropsOldHolder()
    {
        var holder = _h.Mixnode(mixPort: 1789);
        var holderLease = _h.Register(holder);
        _h.Time.Advance(_h.Options.PresenceTtl + TimeSpan.FromSeconds(1));
        var newcomer = _h.Mixnode(mixPort: 1789);
        var before = _h.Membership.State.Version;

        var result = _h.Register(newcomer);

        Assert.Multiple(() =>
        {
            Assert.That(result.TopologyVersion, Is.EqualTo(before + 1), "takeover and join are one change");
            Assert.That(_h.Leases.Count, Is.EqualTo(1));
            Assert.That(_h.Membership.State.Nodes.Values.Single().Descriptor.IdentityKey.ToByteArray(), Is.EqualTo(newcomer.IdentityKey));
            Assert.That(_h.Heartbeat(holder.IdentityKey.Span, holderLease.LeaseToken), Is.EqualTo(HeartbeatOutcome.NotFound));
            Assert.That(_h.Registry.ExpireDue(), Is.Zero, "the old holder is already gone");
        });
    }

    [Test]
    public void Register_EndpointHeldByNodeExactlyAtTtl_StillAlreadyExists()
    {
        var holder = _h.Mixnode(mixPort: 1789);
        _h.Register(holder);
        _h.Time.Advance(_h.Options.PresenceTtl);

        var ex = _h.RegisterRefused(_h.Mixnode(mixPort: 1789));

        Assert.That(ex.Kind, Is.EqualTo(DirectoryErrorKind.AlreadyExists));
    }

    [Test]
    public void Register_AtMaxNodes_ResourceExhaustedAndNoStateChange()
    {
        using var h = new RegistryHarness(o => o.MaxNodes = 2);
        h.Register(h.Mixnode());
        h.Register(h.Mixnode());
        var before = RegistrySnapshot.Of(h);

        var ex = h.RegisterRefused(h.Mixnode());

        Assert.That((ex.Kind, ex.Field), Is.EqualTo((DirectoryErrorKind.ResourceExhausted, "descriptor")));
        before.AssertUnchanged(h);
    }

    [Test]
    public void Register_ExistingIdentityAtMaxNodes_ReRegistrationAccepted()
    {
        using var h = new RegistryHarness(o => o.MaxNodes = 2);
        var a = h.Mixnode();
        h.Register(a);
        h.Register(h.Mixnode());
        h.Time.Advance(TimeSpan.FromSeconds(1));
        a.SphinxKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

        var result = h.Register(a);

        Assert.Multiple(() =>
        {
            Assert.That(result.Replaced, Is.True);
            Assert.That(h.Leases.Count, Is.EqualTo(2));
            Assert.That(h.Heartbeat(a.IdentityKey.Span, result.LeaseToken), Is.EqualTo(HeartbeatOutcome.Renewed));
        });
    }

    [Test]
    public void Register_AtMaxNodesAfterDeregister_NewNodeAccepted()
    {
        using var h = new RegistryHarness(o => o.MaxNodes = 1);
        var a = h.Mixnode();
        var lease = h.Register(a);
        h.Registry.Deregister(a.IdentityKey.Span, lease.LeaseToken);

        h.Register(h.Mixnode());

        Assert.That(h.Leases.Count, Is.EqualTo(1));
    }

    [Test]
    public void Register_ExpiredIdentityReRegistersWithSameFields_NodeKeptAndNewLeaseWorks()
    {
        var node = _h.Mixnode();
        var first = _h.Register(node);
        _h.Time.Advance(_h.Options.PresenceTtl + TimeSpan.FromSeconds(1));
        Assert.That(_h.Heartbeat(node.IdentityKey.Span, first.LeaseToken), Is.EqualTo(HeartbeatOutcome.NotFound));

        var second = _h.Register(node);

        Assert.Multiple(() =>
        {
            Assert.That(_h.Heartbeat(node.IdentityKey.Span, second.LeaseToken), Is.EqualTo(HeartbeatOutcome.Renewed));
            Assert.That(_h.Registry.ExpireDue(), Is.Zero);
            Assert.That(_h.Membership.State.Nodes, Has.Count.EqualTo(1));
            Assert.That(_h.Leases.Count, Is.EqualTo(1));
        });
    }

    [Test]
    public void Register_IdentityKeyBytesInState_RoundTripThroughNodeId()
    {
        var node = _h.Mixnode();
        _h.Register(node);

        var id = _h.Membership.State.Nodes.Keys.Single();

        Assert.That(id.ToByteString(), Is.EqualTo(ByteString.CopyFrom(node.IdentityKey.ToByteArray())));
    }
}
