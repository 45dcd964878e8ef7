using System.Globalization;
using System.Net;
using CsCheck;

namespace Mixnet.Directory.Tests.Property;

/// <summary>Random IP addresses and the many ways of writing each one.</summary>
internal static class AddressGen
{
    // Half the groups zero, so runs of zeros (and so the choice of where "::" goes) are common.
    private static readonly Gen<ushort> Group = Gen.Frequency((1, (IGen<ushort>)Gen.Const((ushort)0)), (1, Gen.UShort));

    /// <summary>Eight IPv6 groups: mostly random, some IPv4-mapped, some multicast, some loopback or unspecified.</summary>
    public static readonly Gen<ushort[]> Ipv6 = Gen.Frequency(
        (6, (IGen<ushort[]>)Group.Array[8]),
        (2, Gen.Select(Gen.UShort, Gen.UShort).Select(t => new ushort[] { 0, 0, 0, 0, 0, 0xffff, t.Item1, t.Item2 })),
        (1, Group.Array[7].Select(a => a.Prepend((ushort)0xff02).ToArray())),
        (1, Gen.OneOf(new ushort[8], new ushort[] { 0, 0, 0, 0, 0, 0, 0, 1 })));

    /// <summary>Four IPv4 octets, often from the edges of the refused ranges.</summary>
    public static readonly Gen<byte[]> Ipv4 = Gen.Frequency(
        (6, (IGen<byte[]>)Gen.Byte.Array[4]),
        (1, Gen.Byte.Array[3].SelectMany(rest => Gen.OneOf((byte)0, (byte)223, (byte)224, (byte)239, (byte)240, (byte)255)
            .Select(first => rest.Prepend(first).ToArray()))),
        (1, Gen.OneOf(new byte[] { 255, 255, 255, 255 }, new byte[] { 255, 255, 255, 254 }, new byte[] { 0, 0, 0, 0 }, new byte[] { 127, 0, 0, 1 })));

    public static string Dotted(byte[] v4) => string.Join('.', v4.Select(b => b.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Every spelling of an IPv6 address this generator knows: full, with and without leading zeros, either case, "::" over any zero run, .NET's own text.</summary>
    public static IEnumerable<string> Spellings(ushort[] groups)
    {
        string Hex(ushort g, bool padded) => g.ToString(padded ? "x4" : "x", CultureInfo.InvariantCulture);
        yield return string.Join(':', groups.Select(g => Hex(g, true)));
        var plain = string.Join(':', groups.Select(g => Hex(g, false)));
        yield return plain;
        yield return plain.ToUpperInvariant();
        for (var start = 0; start < 8; start++)
        {
            for (var end = start; end < 8 && groups[end] == 0; end++)
            {
                // "::" in place of groups start..end (RFC 4291 allows it over any run of zero groups).
                var left = string.Join(':', groups[..start].Select(g => Hex(g, false)));
                var right = string.Join(':', groups[(end + 1)..].Select(g => Hex(g, false)));
                yield return left + "::" + right;
            }
        }

        yield return ToAddress(groups).ToString();
        if (groups[..5].All(g => g == 0) && groups[5] == 0xffff)
        {
            yield return $"::ffff:{groups[6] >> 8}.{groups[6] & 0xff}.{groups[7] >> 8}.{groups[7] & 0xff}";
            yield return $"0:0:0:0:0:FFFF:{groups[6] >> 8}.{groups[6] & 0xff}.{groups[7] >> 8}.{groups[7] & 0xff}";
        }
    }

    /// <summary>Every spelling of an IPv4 address: dotted, and as IPv4-mapped IPv6 in mixed and hex notation.</summary>
    public static IEnumerable<string> Spellings(byte[] v4)
    {
        var dotted = Dotted(v4);
        yield return dotted;
        yield return "::ffff:" + dotted;
        yield return "::FFFF:" + dotted;
        yield return "0:0:0:0:0:ffff:" + dotted;
        var high = (ushort)((v4[0] << 8) | v4[1]);
        var low = (ushort)((v4[2] << 8) | v4[3]);
        foreach (var spelling in Spellings([0, 0, 0, 0, 0, 0xffff, high, low]))
        {
            yield return spelling;
        }
    }

    public static IPAddress ToAddress(ushort[] groups)
    {
        var bytes = new byte[16];
        for (var i = 0; i < 8; i++)
        {
            bytes[2 * i] = (byte)(groups[i] >> 8);
            bytes[(2 * i) + 1] = (byte)groups[i];
        }

        return new IPAddress(bytes);
    }

    /// <summary>The refusal rule restated independently: unspecified (0.0.0.0/8), multicast, broadcast.</summary>
    public static bool Ipv4Refused(byte[] v4) => v4[0] == 0 || v4[0] is >= 224 and <= 239 || v4.All(b => b == 255);
}
