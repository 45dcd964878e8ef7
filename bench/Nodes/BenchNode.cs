using Google.Protobuf;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Bench.Nodes;

/// <summary>A pre-signed registration and, once registered, the node's lease and ready-made requests.</summary>
internal sealed class BenchNode(ByteString identityKey, RegisterNodeRequest register)
{
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
}
