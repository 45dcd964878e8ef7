using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;
using NSec.Cryptography;

namespace Mixnet.Directory.Tests.Unit.Support;

/// <summary>A node with a real Ed25519 identity that signs descriptors the way the SDK does.</summary>
internal sealed class TestNode : IDisposable
{
    private static int s_nextPort = 10_000;

    private TestNode(NodeRole role, uint layer, string host, uint mixPort, uint clientPort)
    {
        Key = Key.Create(SignatureAlgorithm.Ed25519);
        IdentityKey = Key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        SphinxKey = RandomNumberGenerator.GetBytes(DirectorySignatures.PublicKeySize);
        Role = role;
        Layer = layer;
        Host = host;
        MixPort = mixPort;
        ClientPort = clientPort;
    }

    public Key Key { get; }

    public byte[] IdentityKey { get; }

    public byte[] SphinxKey { get; set; }

    public NodeRole Role { get; set; }

    public uint Layer { get; set; }

    public string Host { get; set; }

    public uint MixPort { get; set; }

    public uint ClientPort { get; set; }

    public string Version { get; set; } = "1.2.3";

    public string Location { get; set; } = "Berlin, DE";

    public static TestNode Mixnode(uint layer = 1, string host = "127.0.0.1", uint? mixPort = null) =>
        new(NodeRole.Mixnode, layer, host, mixPort ?? NextPort(), 0);

    public static TestNode Gateway(string host = "127.0.0.1", uint? mixPort = null, uint clientPort = 9000) =>
        new(NodeRole.Gateway, 0, host, mixPort ?? NextPort(), clientPort);

    /// <summary>A unique port, so nodes built by different tests never share host:mix_port by accident.</summary>
    public static uint NextPort() => (uint)(10_000 + (Interlocked.Increment(ref s_nextPort) % 55_000));

    public NodeDescriptor Descriptor(DateTimeOffset signedAt) => new()
    {
        IdentityKey = ByteString.CopyFrom(IdentityKey),
        SphinxKey = ByteString.CopyFrom(SphinxKey),
        Role = Role,
        Layer = Layer,
        Host = Host,
        MixPort = MixPort,
        ClientPort = ClientPort,
        Version = Version,
        Location = Location,
        SignedAt = Timestamp.FromDateTimeOffset(signedAt),
    };

    /// <summary>The descriptor bytes and this node's signature over them, after an optional edit.</summary>
    public SignedDescriptor Sign(DateTimeOffset signedAt, Action<NodeDescriptor>? edit = null)
    {
        var descriptor = Descriptor(signedAt);
        edit?.Invoke(descriptor);
        return SignBytes(descriptor.ToByteString());
    }

    public SignedDescriptor SignBytes(ByteString bytes) =>
        new(bytes, ByteString.CopyFrom(DirectorySignatures.Sign(Key, SignatureDomain.NodeDescriptor, bytes.Span)));

    public void Dispose() => Key.Dispose();
}
