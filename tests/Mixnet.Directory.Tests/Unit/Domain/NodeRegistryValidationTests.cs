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

public sealed class NodeRegistryValidationTests
{
    private RegistryHarness _h = null!;

    [SetUp]
    public void SetUp() => _h = new RegistryHarness();

    [TearDown]
    public void TearDown() => _h.Dispose();

    private static IEnumerable<TestCaseData> InvalidFields()
    {
        TestCaseData Case(string name, Action<NodeDescriptor> edit, string field) =>
            new TestCaseData(edit, field).SetArgDisplayNames(name);

        yield return Case("identity_key 31 bytes", d => d.IdentityKey = ByteString.CopyFrom(new byte[31]), "descriptor.identity_key");
        yield return Case("identity_key empty", d => d.IdentityKey = ByteString.Empty, "descriptor.identity_key");
        yield return Case("sphinx_key 33 bytes", d => d.SphinxKey = ByteString.CopyFrom(new byte[33]), "descriptor.sphinx_key");
        yield return Case("sphinx_key empty", d => d.SphinxKey = ByteString.Empty, "descriptor.sphinx_key");
        yield return Case("role unspecified", d => d.Role = NodeRole.Unspecified, "descriptor.role");
        yield return Case("role unknown value", d => d.Role = (NodeRole)7, "descriptor.role");
        yield return Case("mixnode layer 0", d => d.Layer = 0, "descriptor.layer");
        yield return Case("mixnode layer 4", d => d.Layer = 4, "descriptor.layer");
        yield return Case("gateway layer 1", d => { d.Role = NodeRole.Gateway; d.ClientPort = 9000; d.Layer = 1; }, "descriptor.layer");
        yield return Case("gateway client_port 0", d => { d.Role = NodeRole.Gateway; d.Layer = 0; d.ClientPort = 0; }, "descriptor.client_port");
        yield return Case("gateway client_port 65536", d => { d.Role = NodeRole.Gateway; d.Layer = 0; d.ClientPort = 65536; }, "descriptor.client_port");
        yield return Case("mixnode client_port nonzero", d => d.ClientPort = 9000, "descriptor.client_port");
        yield return Case("host with space", d => d.Host = "bad host", "descriptor.host");
        yield return Case("host leading hyphen", d => d.Host = "-a.com", "descriptor.host");
        yield return Case("host 254 chars", d => d.Host = Validation.NodeDescriptorRulesTests.LongHost(254), "descriptor.host");
        yield return Case("host three numeric labels", d => d.Host = "1.2.3", "descriptor.host");
        yield return Case("host octet 999", d => d.Host = "999.1.1.1", "descriptor.host");
        yield return Case("host trailing newline", d => d.Host = "example.com\n", "descriptor.host");
        yield return Case("host bracketed ipv6", d => d.Host = "[::1]", "descriptor.host");
        yield return Case("host empty", d => d.Host = string.Empty, "descriptor.host");
        yield return Case("mix_port 0", d => d.MixPort = 0, "descriptor.mix_port");
        yield return Case("mix_port 70000", d => d.MixPort = 70000, "descriptor.mix_port");
        yield return Case("version not semver", d => d.Version = "v1.2", "descriptor.version");
        yield return Case("version trailing newline", d => d.Version = "1.2.3\n", "descriptor.version");
        yield return Case("version empty", d => d.Version = string.Empty, "descriptor.version");
        yield return Case("version 65 chars", d => d.Version = "1.2.3-" + new string('a', 59), "descriptor.version");
        yield return Case("location control char", d => d.Location = "Berlin\u0007", "descriptor.location");
        yield return Case("location newline", d => d.Location = "Berlin\nDE", "descriptor.location");
        yield return Case("location 65 chars", d => d.Location = new string('x', 65), "descriptor.location");
        yield return Case("signed_at missing", d => d.SignedAt = null, "descriptor.signed_at");
        yield return Case("signed_at nanos out of range", d => d.SignedAt.Nanos = 1_000_000_000, "descriptor.signed_at");
    }

    [TestCaseSource(nameof(InvalidFields))]
    public void Register_InvalidField_InvalidArgumentNamingFieldAndNoStateChange(Action<NodeDescriptor> edit, string field)
    {
        using var node = TestNode.Mixnode();
        var before = RegistrySnapshot.Of(_h);

        var ex = _h.RegisterRefused(node, edit: edit);

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(DirectoryErrorKind.InvalidArgument));
            Assert.That(ex.Field, Is.EqualTo(field));
            Assert.That(ex.Message, Does.Contain(field));
        });
        before.AssertUnchanged(_h);
    }

    [Test]
    public void Register_VersionOf64Chars_Accepted()
    {
        using var node = TestNode.Mixnode();
        node.Version = "1.2.3-" + new string('a', 58);
        Assert.That(node.Version, Has.Length.EqualTo(64));

        _h.Register(node);

        Assert.That(_h.Leases.Count, Is.EqualTo(1));
    }

    [Test]
    public void Register_LocationOf64Chars_Accepted()
    {
        using var node = TestNode.Mixnode();
        node.Location = new string('x', 64);

        _h.Register(node);

        Assert.That(_h.Leases.Count, Is.EqualTo(1));
    }

    [TestCase("::1")]
    [TestCase("2001:db8::7")]
    [TestCase("10.1.2.3")]
    [TestCase("node-1.example.org")]
    [TestCase("localhost")]
    public void Register_ValidHost_Accepted(string host)
    {
        using var node = TestNode.Mixnode(host: host);

        _h.Register(node);

        Assert.That(_h.Leases.Find(node.IdentityKey.Span)?.Descriptor.Host, Is.EqualTo(host));
    }

    [TestCase(1u)]
    [TestCase(65535u)]
    public void Register_MixPortAtBound_Accepted(uint port)
    {
        using var node = TestNode.Mixnode(mixPort: port);

        _h.Register(node);

        Assert.That(_h.Leases.Find(node.IdentityKey.Span)?.Descriptor.MixPort, Is.EqualTo(port));
    }

    [Test]
    public void Register_EmptyDescriptorBytes_InvalidArgumentDescriptor()
    {
        using var node = TestNode.Mixnode();
        var before = RegistrySnapshot.Of(_h);

        var ex = Assert.Throws<DirectoryException>(() => _h.Registry.Register(ByteString.Empty, node.SignBytes(ByteString.Empty).Signature))!;

        Assert.That((ex.Kind, ex.Field), Is.EqualTo((DirectoryErrorKind.InvalidArgument, "descriptor")));
        before.AssertUnchanged(_h);
    }

    [Test]
    public void Register_OversizeDescriptorBytes_InvalidArgumentDescriptor()
    {
        using var node = TestNode.Mixnode();
        // A descriptor padded with an unknown field past 1 KiB: well-formed protobuf, just too big.
        var signed = node.Sign(_h.Now, d => d.Location = "x");
        var padding = new byte[1100];
        using var stream = new MemoryStream();
        signed.Descriptor.WriteTo(stream);
        var output = new CodedOutputStream(stream);
        output.WriteTag(99, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(padding));
        output.Flush();
        var big = node.SignBytes(ByteString.CopyFrom(stream.ToArray()));
        var before = RegistrySnapshot.Of(_h);

        var ex = Assert.Throws<DirectoryException>(() => _h.Registry.Register(big.Descriptor, big.Signature))!;

        Assert.That((ex.Kind, ex.Field), Is.EqualTo((DirectoryErrorKind.InvalidArgument, "descriptor")));
        Assert.That(ex.Message, Does.Contain("1024"));
        before.AssertUnchanged(_h);
    }

    [Test]
    public void Register_GarbageDescriptorBytes_InvalidArgumentDescriptor()
    {
        using var node = TestNode.Mixnode();
        var garbage = node.SignBytes(ByteString.CopyFrom(0xFF, 0xFF, 0xFF, 0x07));
        var before = RegistrySnapshot.Of(_h);

        var ex = Assert.Throws<DirectoryException>(() => _h.Registry.Register(garbage.Descriptor, garbage.Signature))!;

        Assert.That((ex.Kind, ex.Field), Is.EqualTo((DirectoryErrorKind.InvalidArgument, "descriptor")));
        before.AssertUnchanged(_h);
    }

    [TestCase(0)]
    [TestCase(63)]
    [TestCase(65)]
    public void Register_SignatureWrongLength_InvalidArgumentSignature(int length)
    {
        using var node = TestNode.Mixnode();
        var signed = node.Sign(_h.Now);
        var before = RegistrySnapshot.Of(_h);

        var ex = Assert.Throws<DirectoryException>(() => _h.Registry.Register(signed.Descriptor, ByteString.CopyFrom(new byte[length])))!;

        Assert.That((ex.Kind, ex.Field), Is.EqualTo((DirectoryErrorKind.InvalidArgument, "signature")));
        before.AssertUnchanged(_h);
    }

    [Test]
    public void Register_SignedByAnotherKey_UnauthenticatedSignature()
    {
        using var node = TestNode.Mixnode();
        using var impostor = TestNode.Mixnode();
        var bytes = node.Sign(_h.Now).Descriptor;
        var forged = impostor.SignBytes(bytes);
        var before = RegistrySnapshot.Of(_h);

        var ex = Assert.Throws<DirectoryException>(() => _h.Registry.Register(forged.Descriptor, forged.Signature))!;

        Assert.That((ex.Kind, ex.Field), Is.EqualTo((DirectoryErrorKind.Unauthenticated, "signature")));
        before.AssertUnchanged(_h);
    }

    [Test]
    public void Register_DescriptorBytesAlteredAfterSigning_Unauthenticated()
    {
        using var node = TestNode.Mixnode();
        var signed = node.Sign(_h.Now);
        var descriptor = NodeDescriptor.Parser.ParseFrom(signed.Descriptor);
        descriptor.MixPort += 1;
        var before = RegistrySnapshot.Of(_h);

        var ex = Assert.Throws<DirectoryException>(() => _h.Registry.Register(descriptor.ToByteString(), signed.Signature))!;

        Assert.That((ex.Kind, ex.Field), Is.EqualTo((DirectoryErrorKind.Unauthenticated, "signature")));
        before.AssertUnchanged(_h);
    }

    [Test]
    public void Register_SignatureOverAnotherDomain_Unauthenticated()
    {
        using var node = TestNode.Mixnode();
        var bytes = node.Sign(_h.Now).Descriptor;
        var wrongDomain = Mixnet.Directory.Signing.DirectorySignatures.Sign(node.Key, Mixnet.Directory.Signing.SignatureDomain.Topology, bytes.Span);

        var ex = Assert.Throws<DirectoryException>(() => _h.Registry.Register(bytes, ByteString.CopyFrom(wrongDomain)))!;

        Assert.That((ex.Kind, ex.Field), Is.EqualTo((DirectoryErrorKind.Unauthenticated, "signature")));
        Assert.That(_h.Leases.Count, Is.Zero);
    }

    [TestCase(-301)]
    [TestCase(301)]
    [TestCase(-86_400)]
    [TestCase(86_400)]
    public void Register_SignedAtOutsideSkew_FailedPreconditionSignedAt(int secondsFromNow)
    {
        using var node = TestNode.Mixnode();
        var before = RegistrySnapshot.Of(_h);

        var ex = _h.RegisterRefused(node, _h.Now.AddSeconds(secondsFromNow));

        Assert.That((ex.Kind, ex.Field), Is.EqualTo((DirectoryErrorKind.FailedPrecondition, "descriptor.signed_at")));
        before.AssertUnchanged(_h);
    }

    [TestCase(-300)]
    [TestCase(300)]
    [TestCase(-299)]
    [TestCase(299)]
    public void Register_SignedAtWithinSkew_Accepted(int secondsFromNow)
    {
        using var node = TestNode.Mixnode();

        _h.Register(node, _h.Now.AddSeconds(secondsFromNow));

        Assert.That(_h.Leases.Count, Is.EqualTo(1));
    }
}
