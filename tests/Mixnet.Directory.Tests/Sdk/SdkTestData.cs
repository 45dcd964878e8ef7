using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;
using NSec.Cryptography;

namespace Mixnet.Directory.Tests.Sdk;

/// <summary>Descriptors, snapshots and deltas signed by a throwaway directory key.</summary>
internal static class SdkTestData
{
    public static readonly DateTimeOffset Epoch = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static Key NewDirectoryKey() =>
        Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    public static byte[] PublicKey(Key key) => key.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    public static byte[] Id(int n)
    {
        var key = new byte[32];
        key[0] = (byte)(n >> 8);
        key[1] = (byte)n;
        key[31] = 0xAA;
        return key;
    }

    public static NodeDescriptor Mixnode(int n, uint layer, string version = "1.0.0") => new()
    {
        IdentityKey = ByteString.CopyFrom(Id(n)),
        SphinxKey = ByteString.CopyFrom(Id(n + 10_000)),
        Role = NodeRole.Mixnode,
        Layer = layer,
        Host = $"10.0.{n / 256}.{n % 256}",
        MixPort = 1789,
        Version = version,
        Location = "Testland",
        SignedAt = Timestamp.FromDateTimeOffset(Epoch),
    };

    public static NodeDescriptor Gateway(int n)
    {
        var d = Mixnode(n, 0);
        d.Role = NodeRole.Gateway;
        d.ClientPort = 9000;
        return d;
    }

    public static TopologySnapshot Snapshot(ulong version, params NodeDescriptor[] nodes)
    {
        var snapshot = new TopologySnapshot { Version = version, IssuedAt = Timestamp.FromDateTimeOffset(Epoch) };
        foreach (var node in nodes)
        {
            (node.Role == NodeRole.Gateway ? snapshot.Gateways : snapshot.Mixnodes).Add(node);
        }

        return snapshot;
    }

    public static TopologyDelta Delta(ulong from, ulong to, NodeDescriptor[] upserted, params byte[][] removed)
    {
        var delta = new TopologyDelta { FromVersion = from, ToVersion = to, IssuedAt = Timestamp.FromDateTimeOffset(Epoch) };
        delta.Upserted.AddRange(upserted);
        delta.Removed.AddRange(removed.Select(ByteString.CopyFrom));
        return delta;
    }

    public static SignedTopology Sign(Key key, TopologySnapshot snapshot)
    {
        var bytes = snapshot.ToByteArray();
        return new SignedTopology { Topology = ByteString.CopyFrom(bytes), Signature = ByteString.CopyFrom(DirectorySignatures.Sign(key, SignatureDomain.Topology, bytes)) };
    }

    public static SignedTopologyDelta Sign(Key key, TopologyDelta delta)
    {
        var bytes = delta.ToByteArray();
        return new SignedTopologyDelta { Delta = ByteString.CopyFrom(bytes), Signature = ByteString.CopyFrom(DirectorySignatures.Sign(key, SignatureDomain.TopologyDelta, bytes)) };
    }
}
