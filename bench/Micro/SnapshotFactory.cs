using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Bench.Micro;

/// <summary>
/// A TopologySnapshot shaped like the one the directory publishes for the bench's nodes (same
/// field sizes as <see cref="Nodes.NodeFactory"/>); keys are random, since nothing verifies them here.
/// </summary>
internal static class SnapshotFactory
{
    public static TopologySnapshot Build(int count)
    {
        var now = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
        var snapshot = new TopologySnapshot { Version = 1_700_000_000_000_123UL, IssuedAt = now };
        for (var n = 0; n < count; n++)
        {
            var gateway = n % 10 == 0;
            var descriptor = new NodeDescriptor
            {
                IdentityKey = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)),
                SphinxKey = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)),
                Role = gateway ? NodeRole.Gateway : NodeRole.Mixnode,
                Layer = gateway ? 0u : (uint)(n % 3) + 1,
                Host = $"node{n}.mixnet-bench.example",
                MixPort = 1789,
                ClientPort = gateway ? 9000u : 0u,
                Version = "1.4.2",
                Location = "Bench Lab",
                SignedAt = now,
            };
            (gateway ? snapshot.Gateways : snapshot.Mixnodes).Add(descriptor);
        }

        return snapshot;
    }
}
