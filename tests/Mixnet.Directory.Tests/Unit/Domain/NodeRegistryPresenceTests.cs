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

namespace Mixnet.Directory.Tests.Unit.Domain;

public sealed class NodeRegistryPresenceTests
{
    private RegistryHarness _h = null!;

    [SetUp]
    public void SetUp() => _h = new RegistryHarness();

    [TearDown]
    public void TearDown() => _h.Dispose();

    private TimeSpan Ttl => _h.Options.PresenceTtl;

    [Test]
    public void Heartbeat_Regularly_NodeSurvivesPastOriginalTtl()
    {
        var node = _h.Mixnode();
        var lease = _h.Register(node);
        var version = _h.Membership.State.Version;

        for (var i = 0; i < 10; i++)
        {
            _h.Time.Advance(_h.Options.HeartbeatInterval);
            Assert.That(_h.Heartbeat(node.IdentityKey.Span, lease.LeaseToken), Is.EqualTo(HeartbeatOutcome.Renewed));
            Assert.That(_h.Registry.ExpireDue(), Is.Zero);
        }

        Assert.Multiple(() =>
        {
            Assert.That(_h.Now - _h.Leases.Find(node.IdentityKey.Span)!.RegisteredAt, Is.GreaterThan(Ttl));
            Assert.That(_h.Leases.Find(node.IdentityKey.Span)!.LastSeen, Is.EqualTo(_h.Now));
            Assert.That(_h.Leases.Count, Is.EqualTo(1));
            Assert.That(_h.Membership.State.Version, Is.EqualTo(version), "a heartbeat is never a topology change");
        });
    }

    [Test]
    public void Heartbeat_WrongToken_WrongTokenAndLeaseNotRenewed()
    {
        var node = _h.Mixnode();
        var lease = _h.Register(node);
        var wrong = (byte[])lease.LeaseToken.Clone();
        wrong[0] ^= 1;
        _h.Time.Advance(TimeSpan.FromSeconds(5));

        var outcome = _h.Heartbeat(node.IdentityKey.Span, wrong);

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(HeartbeatOutcome.WrongToken));
            Assert.That(_h.Leases.Find(node.IdentityKey.Span)!.LastSeen, Is.EqualTo(_h.Now - TimeSpan.FromSeconds(5)));
        });
    }

    [TestCase(0)]
    [TestCase(16)]
    [TestCase(33)]
    public void Heartbeat_TokenOfWrongLength_WrongToken(int length)
    {
        var node = _h.Mixnode();
        _h.Register(node);

        Assert.That(_h.Heartbeat(node.IdentityKey.Span, new byte[length]), Is.EqualTo(HeartbeatOutcome.WrongToken));
    }

    [Test]
    public void Heartbeat_UnknownIdentity_NotFound()
    {
        var known = _h.Mixnode();
        var lease = _h.Register(known);
        var stranger = _h.Mixnode();

        Assert.Multiple(() =>
        {
            Assert.That(_h.Heartbeat(stranger.IdentityKey.Span, lease.LeaseToken), Is.EqualTo(HeartbeatOutcome.NotFound));
            Assert.That(_h.Heartbeat(new byte[5], lease.LeaseToken), Is.EqualTo(HeartbeatOutcome.NotFound));
        });
    }

    [Test]
    public void Heartbeat_AfterTtl_NotFoundAndDoesNotReviveNode()
    {
        var node = _h.Mixnode();
        var lease = _h.Register(node);
        _h.Time.Advance(Ttl + TimeSpan.FromTicks(1));

        var outcome = _h.Heartbeat(node.IdentityKey.Span, lease.LeaseToken);
        var expired = _h.Registry.ExpireDue();

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(HeartbeatOutcome.NotFound));
            Assert.That(expired, Is.EqualTo(1), "the failed heartbeat must not have renewed the lease");
            Assert.That(_h.Leases.Count, Is.Zero);
            Assert.That(_h.Membership.State.Nodes, Is.Empty);
            Assert.That(_h.Heartbeat(node.IdentityKey.Span, lease.LeaseToken), Is.EqualTo(HeartbeatOutcome.NotFound));
        });
    }

    [Test]
    public void Heartbeat_ExactlyAtTtl_RenewedBecauseLiveWhileAgeAtMostTtl()
    {
        var node = _h.Mixnode();
        var lease = _h.Register(node);
        _h.Time.Advance(Ttl);

        var outcome = _h.Heartbeat(node.IdentityKey.Span, lease.LeaseToken);
        _h.Time.Advance(Ttl);

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(HeartbeatOutcome.Renewed));
            Assert.That(_h.Registry.ExpireDue(), Is.Zero, "renewed at the boundary, so live until another full TTL");
            Assert.That(_h.Leases.Find(node.IdentityKey.Span), Is.Not.Null);
        });
    }

    [Test]
    public void ExpireDue_ExactlyAtTtl_KeepsNode()
    {
        _h.Register(_h.Mixnode());
        _h.Time.Advance(Ttl);

        Assert.Multiple(() =>
        {
            Assert.That(_h.Registry.ExpireDue(), Is.Zero);
            Assert.That(_h.Leases.Count, Is.EqualTo(1));
        });
    }

    [Test]
    public void ExpireDue_MixOfOverdueAndLive_RemovesExactlyOverdueAndBumpsVersionOnce()
    {
        var stale = new[] { _h.Mixnode(), _h.Mixnode(layer: 2), _h.Gateway() };
        foreach (var node in stale)
        {
            _h.Register(node);
        }

        _h.Time.Advance(TimeSpan.FromSeconds(10));
        var fresh = new[] { _h.Mixnode(layer: 3), _h.Gateway() };
        foreach (var node in fresh)
        {
            _h.Register(node);
        }

        var keeper = stale[0];
        var keeperLease = _h.Register(keeper, edit: null);
        _h.Time.Advance(TimeSpan.FromSeconds(11));
        var versionBefore = _h.Membership.State.Version;
        var events = new List<ulong>();
        _h.Membership.Changed += events.Add;

        var expired = _h.Registry.ExpireDue();

        Assert.Multiple(() =>
        {
            Assert.That(expired, Is.EqualTo(2));
            Assert.That(_h.Membership.State.Version, Is.EqualTo(versionBefore + 1));
            Assert.That(events, Is.EqualTo(new[] { versionBefore + 1 }));
            Assert.That(_h.Leases.Count, Is.EqualTo(3));
            Assert.That(_h.Leases.Find(stale[1].IdentityKey.Span), Is.Null);
            Assert.That(_h.Leases.Find(stale[2].IdentityKey.Span), Is.Null);
            Assert.That(_h.Leases.Find(keeper.IdentityKey.Span)?.TokenMatches(keeperLease.LeaseToken), Is.True);
            Assert.That(StateKeys(), Is.EquivalentTo(new[] { keeper, fresh[0], fresh[1] }.Select(n => n.IdentityKey)));
        });
    }

    [Test]
    public void ExpireDue_NothingOverdue_NoVersionBump()
    {
        _h.Register(_h.Mixnode());
        var state = _h.Membership.State;
        _h.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Multiple(() =>
        {
            Assert.That(_h.Registry.ExpireDue(), Is.Zero);
            Assert.That(_h.Membership.State, Is.SameAs(state));
        });
    }

    [Test]
    public void ExpireDue_ExpiredNode_FreesEndpointAndCapacity()
    {
        using var h = new RegistryHarness(o => o.MaxNodes = 1);
        h.Register(h.Mixnode(mixPort: 7000));
        h.Time.Advance(h.Options.PresenceTtl + TimeSpan.FromSeconds(1));
        Assert.That(h.Registry.ExpireDue(), Is.EqualTo(1));

        var result = h.Register(h.Mixnode(mixPort: 7000));

        Assert.Multiple(() =>
        {
            Assert.That(result.Replaced, Is.False);
            Assert.That(h.Leases.Count, Is.EqualTo(1));
        });
    }

    [Test]
    public void Find_ExpiredButUnswept_ReturnsNull()
    {
        var node = _h.Mixnode();
        _h.Register(node);
        _h.Time.Advance(Ttl + TimeSpan.FromSeconds(1));

        Assert.Multiple(() =>
        {
            Assert.That(_h.Leases.Find(node.IdentityKey.Span), Is.Null);
            Assert.That(_h.Leases.Count, Is.EqualTo(1), "still held until the sweep");
        });
    }

    [Test]
    public void CheckLease_ValidLease_DoesNotRenew()
    {
        var node = _h.Mixnode();
        var lease = _h.Register(node);
        _h.Time.Advance(TimeSpan.FromSeconds(15));

        var outcome = _h.Leases.Check(node.IdentityKey.Span, lease.LeaseToken);
        _h.Time.Advance(TimeSpan.FromSeconds(6));

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(HeartbeatOutcome.Renewed));
            Assert.That(_h.Registry.ExpireDue(), Is.EqualTo(1));
        });
    }

    [Test]
    public void Deregister_WrongToken_UnauthenticatedAndStateUnchanged()
    {
        var node = _h.Mixnode();
        var lease = _h.Register(node);
        var before = RegistrySnapshot.Of(_h);

        var ex = Assert.Throws<DirectoryException>(() => _h.Registry.Deregister(node.IdentityKey.Span, new byte[32]))!;

        Assert.That((ex.Kind, ex.Field), Is.EqualTo((DirectoryErrorKind.Unauthenticated, "lease_token")));
        before.AssertUnchanged(_h);
        Assert.That(_h.Heartbeat(node.IdentityKey.Span, lease.LeaseToken), Is.EqualTo(HeartbeatOutcome.Renewed));
    }

    [Test]
    public void Deregister_ReplacedLeaseToken_Unauthenticated()
    {
        var node = _h.Mixnode();
        var first = _h.Register(node);
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        var second = _h.Register(node);
        var before = RegistrySnapshot.Of(_h);

        var ex = Assert.Throws<DirectoryException>(() => _h.Registry.Deregister(node.IdentityKey.Span, first.LeaseToken))!;

        Assert.That(ex.Kind, Is.EqualTo(DirectoryErrorKind.Unauthenticated));
        before.AssertUnchanged(_h);
        Assert.That(_h.Heartbeat(node.IdentityKey.Span, second.LeaseToken), Is.EqualTo(HeartbeatOutcome.Renewed));
    }

    [Test]
    public void Deregister_ValidLease_RemovesAtOnceAndBumpsVersion()
    {
        var node = _h.Mixnode(mixPort: 6000);
        var other = _h.Mixnode();
        var lease = _h.Register(node);
        _h.Register(other);
        var versionBefore = _h.Membership.State.Version;

        var version = _h.Registry.Deregister(node.IdentityKey.Span, lease.LeaseToken);

        Assert.Multiple(() =>
        {
            Assert.That(version, Is.EqualTo(versionBefore + 1));
            Assert.That(_h.Membership.State.Version, Is.EqualTo(version));
            Assert.That(_h.Leases.Count, Is.EqualTo(1));
            Assert.That(StateKeys(), Is.EquivalentTo(new[] { other.IdentityKey }));
            Assert.That(_h.Heartbeat(node.IdentityKey.Span, lease.LeaseToken), Is.EqualTo(HeartbeatOutcome.NotFound));
            Assert.That(_h.Registry.ExpireDue(), Is.Zero);
        });
        Assert.That(() => _h.Register(_h.Mixnode(mixPort: 6000)), Throws.Nothing, "the endpoint is free again");
    }

    [Test]
    public void Deregister_UnknownIdentity_NotFound()
    {
        var before = RegistrySnapshot.Of(_h);

        var ex = Assert.Throws<DirectoryException>(() => _h.Registry.Deregister(_h.Mixnode().IdentityKey.Span, new byte[32]))!;

        Assert.That((ex.Kind, ex.Field), Is.EqualTo((DirectoryErrorKind.NotFound, "identity_key")));
        before.AssertUnchanged(_h);
    }

    [Test]
    public void Deregister_IdentityKeyWrongLength_InvalidArgument()
    {
        var ex = Assert.Throws<DirectoryException>(() => _h.Registry.Deregister(new byte[31], new byte[32]))!;

        Assert.That((ex.Kind, ex.Field), Is.EqualTo((DirectoryErrorKind.InvalidArgument, "identity_key")));
    }

    [Test]
    public void Deregister_Twice_SecondIsNotFound()
    {
        var node = _h.Mixnode();
        var lease = _h.Register(node);
        _h.Registry.Deregister(node.IdentityKey.Span, lease.LeaseToken);
        var before = RegistrySnapshot.Of(_h);

        var ex = Assert.Throws<DirectoryException>(() => _h.Registry.Deregister(node.IdentityKey.Span, lease.LeaseToken))!;

        Assert.That(ex.Kind, Is.EqualTo(DirectoryErrorKind.NotFound));
        before.AssertUnchanged(_h);
    }

    private IEnumerable<byte[]> StateKeys() => _h.Membership.State.Nodes.Values.Select(r => r.Descriptor.IdentityKey.ToByteArray());
}
