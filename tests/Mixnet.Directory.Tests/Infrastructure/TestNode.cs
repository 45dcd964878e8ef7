using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;
using NSec.Cryptography;

namespace Mixnet.Directory.Tests.Infrastructure;

/// <summary>
/// A node with a real Ed25519 identity, a descriptor template and the requests it sends, signed the
/// way the SDK signs them. The one node builder of the tests: unit tests sign descriptors with
/// <see cref="Sign"/>, tests that speak the raw contract send <see cref="RegisterRequest"/>.
/// </summary>
public sealed class TestNode : IDisposable
{
    private static int s_nextPort;

    public TestNode(NodeRole role = NodeRole.Mixnode, uint layer = 1, string host = "127.0.0.1", uint? mixPort = null, uint? clientPort = null)
    {
        Key = NSec.Cryptography.Key.Create(SignatureAlgorithm.Ed25519);
        IdentityKey = ByteString.CopyFrom(Key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        Descriptor = new NodeDescriptor
        {
            IdentityKey = IdentityKey,
            SphinxKey = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(DirectorySignatures.PublicKeySize)),
            Role = role,
            Layer = role == NodeRole.Gateway ? 0 : layer,
            Host = host,
            MixPort = mixPort ?? NextPort(),
            ClientPort = clientPort ?? (role == NodeRole.Gateway ? 9000u : 0u),
            Version = "1.2.3",
            Location = "Berlin, DE",
        };
    }

    public Key Key { get; }

    public ByteString IdentityKey { get; }

    /// <summary>The descriptor template every request is built from; edit it to change the node.</summary>
    public NodeDescriptor Descriptor { get; }

    public ByteString LeaseToken { get; set; } = ByteString.Empty;

    public byte[] SphinxKey
    {
        get => Descriptor.SphinxKey.ToByteArray();
        set => Descriptor.SphinxKey = ByteString.CopyFrom(value);
    }

    public NodeRole Role
    {
        get => Descriptor.Role;
        set => Descriptor.Role = value;
    }

    public uint Layer
    {
        get => Descriptor.Layer;
        set => Descriptor.Layer = value;
    }

    public string Host
    {
        get => Descriptor.Host;
        set => Descriptor.Host = value;
    }

    public uint MixPort
    {
        get => Descriptor.MixPort;
        set => Descriptor.MixPort = value;
    }

    public uint ClientPort
    {
        get => Descriptor.ClientPort;
        set => Descriptor.ClientPort = value;
    }

    public string Version
    {
        get => Descriptor.Version;
        set => Descriptor.Version = value;
    }

    public string Location
    {
        get => Descriptor.Location;
        set => Descriptor.Location = value;
    }

    public static TestNode Mixnode(uint layer = 1, string host = "127.0.0.1", uint? mixPort = null) => new(NodeRole.Mixnode, layer, host, mixPort);

    public static TestNode Gateway(string host = "127.0.0.1", uint? mixPort = null, uint clientPort = 9000) => new(NodeRole.Gateway, 0, host, mixPort, clientPort);

    /// <summary>A unique port, so nodes built by different tests never share host:mix_port by accident.</summary>
    public static uint NextPort() => (uint)(10_000 + (Interlocked.Increment(ref s_nextPort) % 55_000));

    /// <summary>A copy of the template stamped <paramref name="signedAt"/>.</summary>
    public NodeDescriptor DescriptorAt(DateTimeOffset signedAt)
    {
        var descriptor = Descriptor.Clone();
        descriptor.SignedAt = Timestamp.FromDateTimeOffset(signedAt);
        return descriptor;
    }

    /// <summary>The descriptor bytes and this node's signature over them, after an optional edit.</summary>
    public SignedDescriptor Sign(DateTimeOffset signedAt, Action<NodeDescriptor>? edit = null, Key? signWith = null)
    {
        var descriptor = DescriptorAt(signedAt);
        edit?.Invoke(descriptor);
        return SignBytes(descriptor.ToByteString(), signWith);
    }

    /// <summary>These bytes, signed by this node (or by <paramref name="signWith"/>).</summary>
    public SignedDescriptor SignBytes(ByteString bytes, Key? signWith = null) =>
        new(bytes, ByteString.CopyFrom(DirectorySignatures.Sign(signWith ?? Key, SignatureDomain.NodeDescriptor, bytes.Span)));

    /// <summary>A register request for the current descriptor, stamped <paramref name="signedAt"/>.</summary>
    public RegisterNodeRequest RegisterRequest(DateTimeOffset signedAt, Action<NodeDescriptor>? edit = null, Key? signWith = null)
    {
        var signed = Sign(signedAt, edit, signWith);
        return new RegisterNodeRequest { Descriptor_ = signed.Descriptor, Signature = signed.Signature };
    }

    public HeartbeatRequest HeartbeatRequest() => new() { IdentityKey = IdentityKey, LeaseToken = LeaseToken };

    public void Dispose() => Key.Dispose();
}
