using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.V1;
using NSec.Cryptography;

namespace Mixnet.Directory.Bench.Nodes;

/// <summary>A pre-signed registration and, once registered, the node's lease and ready-made requests.</summary>
internal sealed class BenchNode(ByteString identityKey, RegisterNodeRequest register, byte[] privateKey, NodeDescriptor descriptor)
{
    private DateTimeOffset _lastSignedAt = descriptor.SignedAt.ToDateTimeOffset();

    public ByteString IdentityKey { get; } = identityKey;

    /// <summary>The identity as a number, for matching topology changes cheaply (first 8 bytes).</summary>
    public ulong Tag { get; } = BitConverter.ToUInt64(identityKey.Span[..8]);

    public RegisterNodeRequest Register { get; } = register;

    public ByteString LeaseToken { get; private set; } = ByteString.Empty;

    public HeartbeatRequest? Heartbeat { get; private set; }

    public void Registered(ByteString leaseToken)
    {
        LeaseToken = leaseToken;
        Heartbeat = new HeartbeatRequest { IdentityKey = IdentityKey, LeaseToken = leaseToken };
    }

    /// <summary>
    /// The same descriptor signed anew with a later <c>signed_at</c>, as the SDK's NodeAgent signs
    /// every registration: after a removal or a restart the directory refuses a signed_at it has
    /// seen (its replay marks), so re-sending <see cref="Register"/> would never get back in.
    /// </summary>
    public RegisterNodeRequest Resign()
    {
        var now = DateTimeOffset.UtcNow;
        _lastSignedAt = now > _lastSignedAt ? now : _lastSignedAt.AddMilliseconds(1);
        var fresh = descriptor.Clone();
        fresh.SignedAt = Timestamp.FromDateTimeOffset(_lastSignedAt);
        using var key = Key.Import(SignatureAlgorithm.Ed25519, privateKey, KeyBlobFormat.RawPrivateKey);
        return NodeFactory.Sign(key, fresh);
    }
}
