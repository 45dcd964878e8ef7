using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;
using NSec.Cryptography;

namespace Mixnet.Directory.Tests.Infrastructure;

/// <summary>A node's keys and a descriptor builder for tests that speak the raw contract.</summary>
public sealed class TestNode : IDisposable
{
    private static int _nextPort = 20000;

    public TestNode(NodeRole role = NodeRole.Mixnode, uint layer = 1, string host = "127.0.0.1", uint? mixPort = null)
    {
        Key = NSec.Cryptography.Key.Create(SignatureAlgorithm.Ed25519);
        IdentityKey = ByteString.CopyFrom(Key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        using var sphinx = NSec.Cryptography.Key.Create(KeyAgreementAlgorithm.X25519);
        Descriptor = new NodeDescriptor
        {
            IdentityKey = IdentityKey,
            SphinxKey = ByteString.CopyFrom(sphinx.PublicKey.Export(KeyBlobFormat.RawPublicKey)),
            Role = role,
            Layer = role == NodeRole.Gateway ? 0 : layer,
            Host = host,
            MixPort = mixPort ?? (uint)Interlocked.Increment(ref _nextPort),
            ClientPort = role == NodeRole.Gateway ? 9000u : 0u,
            Version = "1.0.0",
            Location = "Test Lab",
        };
    }

    public Key Key { get; }

    public ByteString IdentityKey { get; }

    public NodeDescriptor Descriptor { get; }

    public ByteString LeaseToken { get; set; } = ByteString.Empty;

    /// <summary>A register request for the current descriptor, stamped <paramref name="signedAt"/>.</summary>
    public RegisterNodeRequest RegisterRequest(DateTimeOffset signedAt, Action<NodeDescriptor>? edit = null, Key? signWith = null)
    {
        var descriptor = Descriptor.Clone();
        descriptor.SignedAt = Timestamp.FromDateTimeOffset(signedAt);
        edit?.Invoke(descriptor);
        var bytes = descriptor.ToByteArray();
        return new RegisterNodeRequest
        {
            Descriptor_ = ByteString.CopyFrom(bytes),
            Signature = ByteString.CopyFrom(DirectorySignatures.Sign(signWith ?? Key, SignatureDomain.NodeDescriptor, bytes)),
        };
    }

    public HeartbeatRequest HeartbeatRequest() => new() { IdentityKey = IdentityKey, LeaseToken = LeaseToken };

    public void Dispose() => Key.Dispose();
}
