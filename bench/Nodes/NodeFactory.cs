using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;
using NSec.Cryptography;

namespace Mixnet.Directory.Bench.Nodes;

/// <summary>
/// Makes fresh identities with signed descriptors before any timed part, on every core, so the
/// load generator's signing cost never counts. Descriptors look like a real network's: one in
/// ten is a gateway, mixnodes spread over layers 1..3, DNS names, a semver and a location.
/// </summary>
internal static class NodeFactory
{
    private static long _next;

    public static BenchNode[] Create(int count)
    {
        var first = Interlocked.Add(ref _next, count) - count;
        var nodes = new BenchNode[count];
        var signedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
        Parallel.For(0, count, i =>
        {
            var n = first + i;
            // Exportable, so a soak agent can sign a newer descriptor when it registers again
            // (a directory refuses a signed_at it has already seen, also across a restart).
            using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
            var identity = ByteString.CopyFrom(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
            var gateway = n % 10 == 0;
            var descriptor = new NodeDescriptor
            {
                IdentityKey = identity,
                SphinxKey = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)),
                Role = gateway ? NodeRole.Gateway : NodeRole.Mixnode,
                Layer = gateway ? 0u : (uint)(n % 3) + 1,
                Host = $"node{n}.mixnet-bench.example",
                MixPort = 1789,
                ClientPort = gateway ? 9000u : 0u,
                Version = "1.4.2",
                Location = "Bench Lab",
                SignedAt = signedAt,
            };
            nodes[i] = new BenchNode(identity, Sign(key, descriptor), key.Export(KeyBlobFormat.RawPrivateKey), descriptor);
        });
        return nodes;
    }

    /// <summary>The registration of <paramref name="descriptor"/> as it is, signed with <paramref name="key"/>.</summary>
    public static RegisterNodeRequest Sign(Key key, NodeDescriptor descriptor)
    {
        var bytes = descriptor.ToByteArray();
        return new RegisterNodeRequest
        {
            Descriptor_ = UnsafeByteOperations.UnsafeWrap(bytes),
            Signature = UnsafeByteOperations.UnsafeWrap(DirectorySignatures.Sign(key, SignatureDomain.NodeDescriptor, bytes)),
        };
    }
}
