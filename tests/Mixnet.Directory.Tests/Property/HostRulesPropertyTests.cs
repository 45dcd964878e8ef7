using System.Net;
using CsCheck;
using Mixnet.Directory.Validation;

namespace Mixnet.Directory.Tests.Property;

public sealed class HostRulesPropertyTests
{
    private const string HostishChars = "0123456789abcdefABCDEFxX:.-[]%_ \u00fc\u0661";

    [Test]
    public void Canonicalize_EverySpellingOfAnIpv6Address_OneCanonicalStringOrAllRefused() =>
        AddressGen.Ipv6.Sample(groups =>
        {
            var results = AddressGen.Spellings(groups).Select(s => (Spelling: s, Canonical: HostRules.Canonicalize(s))).ToList();
            var address = AddressGen.ToAddress(groups);
            var v4 = address.IsIPv4MappedToIPv6 ? address.MapToIPv4().GetAddressBytes() : null;
            var refused = v4 is not null ? AddressGen.Ipv4Refused(v4) : groups.All(g => g == 0) || groups[0] >> 8 == 0xff;
            if (refused)
            {
                PropertyFailure.Unless(results.All(r => r.Canonical is null), $"accepted an unreachable address: {string.Join(", ", results)}");
                return;
            }

            var canonical = results[0].Canonical;
            PropertyFailure.Unless(canonical is not null && results.All(r => r.Canonical == canonical), $"spellings disagree: {string.Join(", ", results)}");

            // .NET writes RFC 5952 text too, except that it may use dotted notation for the last 32 bits.
            var expected = v4 is not null ? AddressGen.Dotted(v4) : address.ToString();
            PropertyFailure.Unless((expected.Contains('.', StringComparison.Ordinal) && v4 is null) || canonical == expected, $"canonical {canonical}, expected {expected}");
            PropertyFailure.Unless(IPAddress.Parse(canonical!).Equals(v4 is not null ? new IPAddress(v4) : address), $"{canonical} is another address");
        }, iter: 1_000);

    [Test]
    public void Canonicalize_EverySpellingOfAnIpv4Address_TheDottedQuadOrAllRefused() =>
        AddressGen.Ipv4.Sample(v4 =>
        {
            var results = AddressGen.Spellings(v4).Select(s => (Spelling: s, Canonical: HostRules.Canonicalize(s))).ToList();
            var expected = AddressGen.Ipv4Refused(v4) ? null : AddressGen.Dotted(v4);
            PropertyFailure.Unless(results.All(r => r.Canonical == expected), $"expected {expected ?? "refusal"}: {string.Join(", ", results)}");
        }, iter: 1_000);

    [Test]
    public void TryCanonicalize_HostLikeText_IdempotentAndNeverThrows() =>
        Gen.Char[HostishChars].Array[0, 48].Select(chars => new string(chars)).Sample(host =>
        {
            if (HostRules.TryCanonicalize(host, out var canonical, out var error))
            {
                PropertyFailure.Unless(error is null && HostRules.Canonicalize(canonical) == canonical, $"'{host}' -> '{canonical}' -> '{HostRules.Canonicalize(canonical)}'");
                PropertyFailure.Unless(NodeDescriptorRules.IsValidHost(host), $"IsValidHost disagrees on '{host}'");
            }
            else
            {
                PropertyFailure.Unless(canonical is null && error?.Field == HostRules.DefaultField && error.Reason.Length > 0, $"'{host}' refused without a host error");
            }
        }, iter: 5_000);

    [Test]
    public void TryCanonicalize_AnyText_NeverThrows() =>
        Gen.String.Sample(host =>
        {
            var accepted = HostRules.TryCanonicalize(host, out var canonical, out var error);
            return accepted ? HostRules.Canonicalize(canonical) == canonical : error is not null;
        }, iter: 2_000);

    [Test]
    public void TryCanonicalize_LdhName_AcceptedLowerCaseWithoutTrailingDot()
    {
        var label = Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"].Array[1, 20]
            .Select(chars => new string(chars))
            .Where(l => !l.StartsWith('-') && !l.EndsWith('-'));
        var letter = Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"];
        // A letter in the last label keeps the name from looking like a number (1.2.3.4, 0x7f).
        Gen.Select(label.Array[0, 4], letter, Gen.Bool).Select(t => string.Join('.', t.Item1.Append(t.Item2 + "x")) + (t.Item3 ? "." : string.Empty))
            .Sample(name =>
            {
                var canonical = HostRules.Canonicalize(name);
                var expected = name.TrimEnd('.').ToLowerInvariant();
                PropertyFailure.Unless(string.Equals(canonical, expected, StringComparison.Ordinal), $"'{name}' -> '{canonical}'");
            }, iter: 2_000);
    }
}
