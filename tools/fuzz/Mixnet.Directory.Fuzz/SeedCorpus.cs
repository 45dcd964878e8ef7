using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;
using NSec.Cryptography;

namespace Mixnet.Directory.Fuzz;

/// <summary>
/// Starting inputs for afl: valid messages (so mutation starts inside the accepted space) and
/// one instance of each refusal. tools/fuzz/corpus holds these plus what afl-cmin kept.
/// </summary>
public static class SeedCorpus
{
    /// <summary>The seeds of one target, by file name.</summary>
    /// <param name="target">A name from <see cref="FuzzTargets.All"/>.</param>
    public static IReadOnlyDictionary<string, byte[]> For(string target) => target switch
    {
        DescriptorTarget.Name => Descriptors(),
        HostTarget.Name => Hosts(),
        MetricsTarget.Name => Reports(),
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "no such target"),
    };

    private static Dictionary<string, byte[]> Descriptors()
    {
        // A fixed key makes the seeds (Ed25519 signatures are deterministic) the same bytes on every run.
        using var key = Key.Import(SignatureAlgorithm.Ed25519, Enumerable.Repeat((byte)0x5e, 32).ToArray(), KeyBlobFormat.RawPrivateKey);
        var sphinx = new byte[DirectorySignatures.PublicKeySize];
        sphinx[0] = 9;
        var signedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        NodeDescriptor Make(Action<NodeDescriptor> change)
        {
            var d = new NodeDescriptor
            {
                IdentityKey = ByteString.CopyFrom(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)),
                SphinxKey = ByteString.CopyFrom(sphinx),
                Role = NodeRole.Mixnode,
                Layer = 1,
                Host = "127.0.0.1",
                MixPort = 1789,
                Version = "1.2.3",
                Location = "Lab",
                SignedAt = signedAt,
            };
            change(d);
            return d;
        }

        byte[] Signed(NodeDescriptor d)
        {
            var bytes = d.ToByteArray();
            return new RegisterNodeRequest
            {
                Descriptor_ = ByteString.CopyFrom(bytes),
                Signature = ByteString.CopyFrom(DirectorySignatures.Sign(key, SignatureDomain.NodeDescriptor, bytes)),
            }.ToByteArray();
        }

        return new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["valid-mixnode"] = Signed(Make(_ => { })),
            ["valid-gateway-v6"] = Signed(Make(d => { d.Role = NodeRole.Gateway; d.Layer = 0; d.ClientPort = 9000; d.Host = "2001:db8::1"; })),
            ["valid-dns"] = Signed(Make(d => { d.Host = "Node-1.Example.ORG."; d.Version = "1.0.0-rc.1+build.5"; d.Layer = 3; })),
            ["valid-mapped"] = Signed(Make(d => d.Host = "::ffff:192.0.2.1")),
            ["bad-signature"] = new RegisterNodeRequest { Descriptor_ = ByteString.CopyFrom(Make(_ => { }).ToByteArray()), Signature = ByteString.CopyFrom(new byte[64]) }.ToByteArray(),
            ["bad-host-multicast"] = Signed(Make(d => d.Host = "224.0.0.1")),
            ["bad-host-zone"] = Signed(Make(d => d.Host = "fe80::1%eth0")),
            ["bad-layer"] = Signed(Make(d => d.Layer = 4)),
            ["bad-version"] = Signed(Make(d => d.Version = "1.2")),
            ["bad-timestamp"] = Signed(Make(d => d.SignedAt = new Timestamp { Seconds = 253_402_300_800L })),
            ["bad-request"] = [0x0a, 0xff],
        };
    }

    private static Dictionary<string, byte[]> Hosts()
    {
        string[] hosts =
        [
            "127.0.0.1", "192.0.2.10", "::1", "0:0:0:0:0:0:0:1", "::0001", "2001:0DB8::1", "2001:db8:0:0:1:0:0:1",
            "::ffff:127.0.0.1", "::ffff:7f00:1", "fe80::1", "Node-1.Example.ORG.", "xn--bcher-kva.example", "localhost",
            "0.0.0.0", "::", "255.255.255.255", "239.1.2.3", "ff02::1", "[::1]", "fe80::1%eth0", "010.0.0.1", "0x7f.0.0.1",
            "bücher.example", "a..b", "1.2.3", "::ffff:010.0.0.1", "1:2:3:4:5:6:7:8:9",
        ];
        return hosts.Select((h, i) => (Name: $"seed-{i:D2}", Bytes: Encoding.UTF8.GetBytes(h)))
            .ToDictionary(s => s.Name, s => s.Bytes, StringComparer.Ordinal);
    }

    private static Dictionary<string, byte[]> Reports()
    {
        ReportMetricsRequest Make(Action<ReportMetricsRequest> change)
        {
            var r = new ReportMetricsRequest
            {
                IdentityKey = ByteString.CopyFrom(new byte[32]),
                LeaseToken = ByteString.CopyFrom(Enumerable.Repeat((byte)7, 32).ToArray()),
                Received = 10,
            };
            r.Sent.Add("10.0.0.1:1789", 5);
            r.Sent.Add("[2001:db8::1]:1789", 7);
            change(r);
            return r;
        }

        return new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["valid"] = Make(_ => { }).ToByteArray(),
            ["valid-empty-sent"] = Make(r => r.Sent.Clear()).ToByteArray(),
            ["bad-received"] = Make(r => r.Received = 1_000_000_000_001UL).ToByteArray(),
            ["bad-count"] = Make(r => r.Sent["x:1"] = ulong.MaxValue).ToByteArray(),
            ["bad-sum"] = Make(r => { r.Sent["a:1"] = 600_000_000_000UL; r.Sent["b:1"] = 600_000_000_000UL; }).ToByteArray(),
            ["bad-empty-hop"] = Make(r => r.Sent[string.Empty] = 1).ToByteArray(),
            ["bad-identity"] = Make(r => r.IdentityKey = ByteString.CopyFrom(new byte[31])).ToByteArray(),
            ["bad-request"] = [0x22, 0x05, 0x0a],
        };
    }
}
