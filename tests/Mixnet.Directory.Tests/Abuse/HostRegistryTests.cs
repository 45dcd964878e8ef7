using System.Net;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Unit.Support;

namespace Mixnet.Directory.Tests.Abuse;

/// <summary>Canonical hosts and the per-host / per-caller caps in the registry itself.</summary>
public sealed class HostRegistryTests
{
    [TestCase("::1", "0:0:0:0:0:0:0:1")]
    [TestCase("127.0.0.1", "::ffff:127.0.0.1")]
    [TestCase("2001:0db8::1", "2001:db8:0::1")]
    [TestCase("example.com.", "EXAMPLE.com")]
    public void Register_SameEndpointSpelledDifferently_AlreadyExists(string first, string second)
    {
        using var harness = new RegistryHarness();
        var a = harness.Mixnode(host: first, mixPort: 7000);
        var b = harness.Mixnode(host: second, mixPort: 7000);
        harness.Register(a);

        var ex = harness.RegisterRefused(b);

        Assert.That(ex.Kind, Is.EqualTo(DirectoryErrorKind.AlreadyExists));
        Assert.That(ex.Field, Is.EqualTo("descriptor.host"));
        Assert.That(harness.Leases.Count, Is.EqualTo(1));
    }

    [Test]
    public void Register_NonCanonicalHost_PublishedInCanonicalForm()
    {
        using var harness = new RegistryHarness();
        var node = harness.Mixnode(host: "Mix.Example.ORG.");
        harness.Register(node);

        harness.Leases.TryGet(Id(node), out var record);
        Assert.That(record.Descriptor.Host, Is.EqualTo("mix.example.org"), "what the topology publishes");
    }

    [TestCase("0.0.0.0")]
    [TestCase("::")]
    [TestCase("255.255.255.255")]
    [TestCase("224.0.0.251")]
    [TestCase("ff02::1")]
    [TestCase("::ffff:0.0.0.0")]
    public void Register_UnreachableHost_InvalidArgumentNothingChanged(string host)
    {
        using var harness = new RegistryHarness();
        var version = harness.Membership.Version;

        var ex = harness.RegisterRefused(harness.Mixnode(host: host));

        Assert.That(ex.Kind, Is.EqualTo(DirectoryErrorKind.InvalidArgument));
        Assert.That(ex.Field, Is.EqualTo("descriptor.host"));
        Assert.That(harness.Leases.Count, Is.Zero);
        Assert.That(harness.Membership.Version, Is.EqualTo(version));
    }

    [Test]
    public void Register_HostCapCountsCanonicalHosts()
    {
        using var harness = new RegistryHarness(o => o.MaxNodesPerHost = 1);
        harness.Register(harness.Mixnode(host: "::1"));

        var ex = harness.RegisterRefused(harness.Mixnode(host: "0:0:0:0:0:0:0:1"));

        Assert.That(ex.Kind, Is.EqualTo(DirectoryErrorKind.ResourceExhausted));
        Assert.That(ex.Field, Is.EqualTo("descriptor.host"));
    }

    [Test]
    public void Register_TooManyIdentitiesFromOneCaller_ResourceExhaustedNothingChanged()
    {
        using var harness = new RegistryHarness(o => o.MaxNodesPerHost = 2);
        var caller = CallerPrefix.Of(IPAddress.Parse("2001:db8::1"));
        var sameSlash64 = CallerPrefix.Of(IPAddress.Parse("2001:db8::2"));
        var a = harness.Mixnode(host: "a.example");
        Register(harness, a, caller);
        Register(harness, harness.Mixnode(host: "b.example"), sameSlash64);
        var version = harness.Membership.Version;

        var ex = Assert.Throws<DirectoryException>(() => Register(harness, harness.Mixnode(host: "c.example"), caller))!;

        Assert.That(ex.Kind, Is.EqualTo(DirectoryErrorKind.ResourceExhausted));
        Assert.That(ex.Field, Is.EqualTo("descriptor.host"));
        Assert.That(harness.Leases.Count, Is.EqualTo(2));
        Assert.That(harness.Membership.Version, Is.EqualTo(version));
        Assert.That(() => Register(harness, harness.Mixnode(host: "d.example"), CallerPrefix.Of(IPAddress.Parse("2001:db8:0:1::1"))), Throws.Nothing, "another /64 is another caller");
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(() => Register(harness, a, caller), Throws.Nothing, "re-registering an identity is not a new one");
    }

    private static void Register(RegistryHarness harness, TestNode node, CallerPrefix caller)
    {
        var signed = node.Sign(harness.Now);
        harness.Registry.Register(harness.Registry.Verify(signed.Descriptor, signed.Signature), caller, signed.Descriptor, signed.Signature);
    }

    private static NodeId Id(TestNode node)
    {
        NodeId.TryRead(node.IdentityKey.Span, out var id);
        return id;
    }
}
