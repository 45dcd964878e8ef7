using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Client;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Sdk;

public sealed class NodeIdentityTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = System.IO.Directory.CreateTempSubdirectory("sdk-identity-").FullName;

    [TearDown]
    public void TearDown() => System.IO.Directory.Delete(_dir, recursive: true);

    [Test]
    public void SaveThenLoad_RoundTrip_SameKeysAndSigningStillMatches()
    {
        var path = Path.Combine(_dir, "node.key");
        using var original = NodeIdentity.Generate();
        original.Save(path);

        using var loaded = NodeIdentity.Load(path);

        Assert.That(loaded.IdentityKey.ToArray(), Is.EqualTo(original.IdentityKey.ToArray()));
        Assert.That(loaded.SphinxKey.ToArray(), Is.EqualTo(original.SphinxKey.ToArray()));
        var (bytes, signature) = loaded.SignDescriptor(Descriptor(loaded));
        Assert.That(DirectorySignatures.Verify(original.IdentityKey.Span, SignatureDomain.NodeDescriptor, bytes.Span, signature.Span), Is.True);
    }

    [Test]
    public void Generate_TwoIdentities_DifferentKeys()
    {
        using var a = NodeIdentity.Generate();
        using var b = NodeIdentity.Generate();
        Assert.That(a.IdentityKey.ToArray(), Is.Not.EqualTo(b.IdentityKey.ToArray()));
        Assert.That(a.IdentityKey.Length, Is.EqualTo(32));
        Assert.That(a.SphinxKey.Length, Is.EqualTo(32));
    }

    [Test]
    public void Save_OnUnix_FileIsOwnerReadWriteOnlyAndNoTempLeft()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix permissions only.");
            return;
        }

        var path = Path.Combine(_dir, "sub", "node.key");
        using var identity = NodeIdentity.Generate();
        identity.Save(path);

        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(System.IO.Directory.GetFiles(Path.GetDirectoryName(path)!), Has.Length.EqualTo(1));
    }

    [TestCase("not json at all")]
    [TestCase("{\"format\":\"mixnet-node-identity/v1\",\"identity_private_key\":\"AAAA\"")]
    [TestCase("{\"format\":\"something-else\",\"identity_private_key\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"sphinx_private_key\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}")]
    [TestCase("{\"format\":\"mixnet-node-identity/v1\",\"identity_private_key\":\"AAAA\",\"sphinx_private_key\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}")]
    [TestCase("{\"format\":\"mixnet-node-identity/v1\",\"identity_private_key\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}")]
    public void Load_CorruptFile_ThrowsInvalidDataNamingThePath(string content)
    {
        var path = Path.Combine(_dir, "corrupt.key");
        File.WriteAllText(path, content);

        var ex = Assert.Throws<InvalidDataException>(() => NodeIdentity.Load(path));
        Assert.That(ex!.Message, Does.Contain(path).And.Contain("corrupt"));
    }

    [Test]
    public void Load_PublicKeyDoesNotMatchPrivateKey_Throws()
    {
        var path = Path.Combine(_dir, "node.key");
        using (var identity = NodeIdentity.Generate())
        {
            identity.Save(path);
        }

        var text = File.ReadAllText(path);
        var hexStart = text.IndexOf("\"identity_public_key\": \"", StringComparison.Ordinal) + 24;
        var flipped = text[hexStart] == '0' ? '1' : '0';
        File.WriteAllText(path, text[..hexStart] + flipped + text[(hexStart + 1)..]);

        var ex = Assert.Throws<InvalidDataException>(() => NodeIdentity.Load(path));
        Assert.That(ex!.Message, Does.Contain("does not match"));
    }

    [Test]
    public void LoadOrCreate_Twice_SecondLoadsTheFirstIdentity()
    {
        var path = Path.Combine(_dir, "node.key");
        using var first = NodeIdentity.LoadOrCreate(path);
        using var second = NodeIdentity.LoadOrCreate(path);
        Assert.That(second.IdentityKey.ToArray(), Is.EqualTo(first.IdentityKey.ToArray()));
    }

    [Test]
    public void SignDescriptor_ByteFlipped_DoesNotVerify()
    {
        using var identity = NodeIdentity.Generate();
        var (bytes, signature) = identity.SignDescriptor(Descriptor(identity));
        var tampered = bytes.ToByteArray();
        tampered[^1] ^= 0x01;

        Assert.That(DirectorySignatures.Verify(identity.IdentityKey.Span, SignatureDomain.NodeDescriptor, bytes.Span, signature.Span), Is.True);
        Assert.That(DirectorySignatures.Verify(identity.IdentityKey.Span, SignatureDomain.NodeDescriptor, tampered, signature.Span), Is.False);
        Assert.That(DirectorySignatures.Verify(identity.IdentityKey.Span, SignatureDomain.Topology, bytes.Span, signature.Span), Is.False, "domain separation");
        Assert.That(NodeDescriptor.Parser.ParseFrom(bytes), Is.EqualTo(Descriptor(identity)));
    }

    [Test]
    public void SignDescriptor_ForeignIdentityKey_Throws()
    {
        using var identity = NodeIdentity.Generate();
        using var other = NodeIdentity.Generate();
        Assert.Throws<ArgumentException>(() => identity.SignDescriptor(Descriptor(other)));
    }

    private static NodeDescriptor Descriptor(NodeIdentity identity) => new()
    {
        IdentityKey = ByteString.CopyFrom(identity.IdentityKey.Span),
        SphinxKey = ByteString.CopyFrom(identity.SphinxKey.Span),
        Role = Mixnet.Directory.V1.NodeRole.Mixnode,
        Layer = 2,
        Host = "198.51.100.7",
        MixPort = 1789,
        Version = "1.2.3",
        Location = "Testland",
        SignedAt = Timestamp.FromDateTimeOffset(SdkTestData.Epoch),
    };
}
