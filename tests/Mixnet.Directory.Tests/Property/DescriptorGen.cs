using System.Globalization;
using CsCheck;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Property;

/// <summary>Valid node descriptors (without keys) and byte-level mutations of serialized messages.</summary>
internal static class DescriptorGen
{
    private static readonly Gen<string> Host = Gen.Frequency(
        (2, (IGen<string>)AddressGen.Ipv4.Where(v4 => !AddressGen.Ipv4Refused(v4)).Select(AddressGen.Dotted)),
        (2, AddressGen.Ipv6.Select(g => AddressGen.ToAddress(g)).Where(a => !a.IsIPv4MappedToIPv6 && !a.IsIPv6Multicast && !a.Equals(System.Net.IPAddress.IPv6Any)).Select(a => a.ToString())),
        (1, Gen.OneOf("node-1.example.org", "Example.ORG.", "localhost", "xn--bcher-kva.example", "a")));

    private static readonly Gen<string> Version = Gen.Frequency(
        (3, (IGen<string>)Gen.Select(Gen.UInt[0, 999], Gen.UInt[0, 999], Gen.UInt[0, 99_999]).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Item1}.{t.Item2}.{t.Item3}"))),
        (1, Gen.OneOf("1.0.0-alpha.1", "1.0.0-rc.1+build.5", "0.0.0", "1.0.0+20130313144700")));

    private static readonly Gen<string> Location = Gen.Char["abcdefghijklmnopqrstuvwxyz ABC,-.0123456789äöü東京"].Array[0, 64].Select(c => new string(c));

    /// <summary>A descriptor that follows every rule, for the identity key given at sampling.</summary>
    public static readonly Gen<Func<ByteString, NodeDescriptor>> Valid = Gen.Select(
        Gen.Bool, Gen.UInt[1, 3], Host, Gen.UInt[1, 65_535], Gen.UInt[1, 65_535], Version, Location,
        Gen.Long[-62_135_596_800L, 253_402_300_799L], Gen.Int[0, 999_999_999], Gen.Byte.Array[32],
        (gateway, layer, host, mixPort, clientPort, version, location, seconds, nanos, sphinx) =>
            (Func<ByteString, NodeDescriptor>)(identity => new NodeDescriptor
            {
                IdentityKey = identity,
                SphinxKey = ByteString.CopyFrom(sphinx),
                Role = gateway ? NodeRole.Gateway : NodeRole.Mixnode,
                Layer = gateway ? 0 : layer,
                Host = host,
                MixPort = mixPort,
                ClientPort = gateway ? clientPort : 0,
                Version = version,
                Location = location,
                SignedAt = new Timestamp { Seconds = seconds, Nanos = nanos },
            }));

    /// <summary>One to four random edits of a byte string: bit flips, overwrites, truncation, insertion, deletion.</summary>
    public static Gen<byte[]> Mutate(byte[] original) =>
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, int.MaxValue], Gen.Byte, Gen.Byte.Array[1, 8]).Array[1, 4].Select(edits =>
        {
            var bytes = original.ToList();
            foreach (var (kind, where, value, run) in edits)
            {
                var at = bytes.Count == 0 ? 0 : where % bytes.Count;
                switch (kind)
                {
                    case 0 when bytes.Count > 0:
                        bytes[at] ^= (byte)(1 << (value % 8));
                        break;
                    case 1 when bytes.Count > 0:
                        bytes[at] = value;
                        break;
                    case 2:
                        bytes.RemoveRange(at, bytes.Count - at);
                        break;
                    case 3:
                        bytes.InsertRange(at, run);
                        break;
                    default:
                        bytes.RemoveRange(at, Math.Min(run.Length, bytes.Count - at));
                        break;
                }
            }

            return bytes.ToArray();
        });
}
