using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Unit.Support;

namespace Mixnet.Directory.Tests.Unit.Registry;

/// <summary>Every way a node leaves records its replay mark and releases only what it holds.</summary>
public sealed class RemovalPathTests
{
    private RegistryHarness _h = null!;

    [SetUp]
    public void SetUp() => _h = new RegistryHarness();

    [TearDown]
    public void TearDown() => _h.Dispose();

    [Test]
    public void Register_CapturedDescriptorAfterBanAndUnban_RefusedAsReplay()
    {
        var node = _h.Mixnode();
        var captured = node.Sign(_h.Now);
        _h.Registry.Register(captured.Descriptor, captured.Signature);
        NodeId.TryRead(node.IdentityKey.Span, out var id);
        _h.Registry.Ban(id, "drops packets", "test");
        _h.Bans.Remove(id);

        var ex = Assert.Throws<DirectoryException>(() => _h.Registry.Register(captured.Descriptor, captured.Signature))!;

        Assert.That((ex.Kind, ex.Field), Is.EqualTo((DirectoryErrorKind.FailedPrecondition, "descriptor.signed_at")));
        Assert.That(_h.Membership.State.Nodes, Is.Empty, "the replay changed nothing");
        Assert.DoesNotThrow(() => _h.Register(node, _h.Now.AddSeconds(1)), "a fresh descriptor is accepted after the unban");
    }

    [Test]
    public void Register_CapturedDescriptorAfterExpiry_RefusedAsReplay()
    {
        var node = _h.Mixnode();
        var captured = node.Sign(_h.Now);
        _h.Registry.Register(captured.Descriptor, captured.Signature);
        _h.Time.Advance(_h.Options.PresenceTtl + TimeSpan.FromSeconds(1));
        Assert.That(_h.Registry.ExpireDue(), Is.EqualTo(1));

        var ex = Assert.Throws<DirectoryException>(() => _h.Registry.Register(captured.Descriptor, captured.Signature))!;

        Assert.That(ex.Kind, Is.EqualTo(DirectoryErrorKind.FailedPrecondition));
    }

    [Test]
    public void Register_NewHolderOfAnExpiredNodesEndpoint_OldIdentityKeepsItsReplayMark()
    {
        var old = _h.Mixnode(mixPort: 4000);
        var captured = old.Sign(_h.Now);
        _h.Registry.Register(captured.Descriptor, captured.Signature);
        _h.Time.Advance(_h.Options.PresenceTtl + TimeSpan.FromSeconds(1));
        var taker = _h.Mixnode(mixPort: 4000);
        _h.Register(taker); // The expired holder gives way before the sweeper reaches it.

        var ex = Assert.Throws<DirectoryException>(() => _h.Registry.Register(captured.Descriptor, captured.Signature))!;

        Assert.That(ex.Kind, Is.EqualTo(DirectoryErrorKind.FailedPrecondition), "not ALREADY_EXISTS: the old descriptor is a replay");
    }

    [Test]
    public void Deregister_AfterMovingToANewEndpoint_FreesOnlyTheEndpointItHolds()
    {
        var mover = _h.Mixnode(mixPort: 5000);
        _h.Register(mover);
        var moved = _h.Register(mover, _h.Now.AddSeconds(1), d => d.MixPort = 5001);
        var newcomer = _h.Mixnode(mixPort: 5000);
        _h.Register(newcomer); // The old endpoint is free once its holder moved.

        _h.Registry.Deregister(mover.IdentityKey.Span, moved.LeaseToken);

        var squatter = _h.Mixnode(mixPort: 5000);
        var ex = _h.RegisterRefused(squatter);
        Assert.That(ex.Kind, Is.EqualTo(DirectoryErrorKind.AlreadyExists), "the newcomer still holds 5000");
    }
}
