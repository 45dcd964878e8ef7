using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.V1;
using Mixnet.Directory.Validation;

namespace Mixnet.Directory.Tests.Unit.Validation;

public sealed class HostRulesTests
{
    [TestCase("127.0.0.1", "127.0.0.1")]
    [TestCase("::ffff:127.0.0.1", "127.0.0.1")]
    [TestCase("::ffff:7f00:1", "127.0.0.1")]
    [TestCase("0:0:0:0:0:ffff:7f00:0001", "127.0.0.1")]
    [TestCase("::FFFF:192.0.2.1", "192.0.2.1")]
    [TestCase("::1", "::1")]
    [TestCase("0:0:0:0:0:0:0:1", "::1")]
    [TestCase("::0001", "::1")]
    [TestCase("0000:0000::0001", "::1")]
    [TestCase("2001:0db8::1", "2001:db8::1")]
    [TestCase("2001:db8:0::1", "2001:db8::1")]
    [TestCase("2001:DB8::1", "2001:db8::1")]
    [TestCase("2001:db8:0:0:0:0:0:1", "2001:db8::1")]
    public void TryCanonicalize_Alias_CanonicalForm(string host, string expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(HostRules.TryCanonicalize(host, out var canonical, out var error), Is.True, error?.ToString());
            Assert.That(canonical, Is.EqualTo(expected));
            Assert.That(error, Is.Null);
        });
    }

    // RFC 5952 §4.2: the longest run of zero groups is compressed, the first on a tie, never a single group.
    [TestCase("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")]
    [TestCase("2001:0:0:1:0:0:0:1", "2001:0:0:1::1")]
    [TestCase("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1")]
    [TestCase("1:0:0:0:0:0:0:0", "1::")]
    [TestCase("fe80::1", "fe80::1")]
    [TestCase("::1:80", "::1:80")]
    [TestCase("::7f00:1", "::7f00:1")]
    [TestCase("::127.0.0.1", "::7f00:1")]
    [TestCase("64:ff9b::192.0.2.33", "64:ff9b::c000:221")]
    public void TryCanonicalize_Ipv6_Rfc5952Text(string host, string expected) =>
        Assert.That(HostRules.Canonicalize(host), Is.EqualTo(expected));

    [TestCase("Node-1.Example.ORG.", "node-1.example.org")]
    [TestCase("example.org.", "example.org")]
    [TestCase("LOCALHOST", "localhost")]
    [TestCase("XN--BCHER-KVA.example", "xn--bcher-kva.example")]
    public void TryCanonicalize_DnsName_LowerCaseWithoutTrailingDot(string host, string expected) =>
        Assert.That(HostRules.Canonicalize(host), Is.EqualTo(expected));

    [TestCase("0.0.0.0")]
    [TestCase("0.1.2.3")]
    [TestCase("::")]
    [TestCase("0:0:0:0:0:0:0:0")]
    [TestCase("::ffff:0.0.0.0")]
    [TestCase("255.255.255.255")]
    [TestCase("::ffff:255.255.255.255")]
    [TestCase("224.0.0.0")]
    [TestCase("224.0.0.1")]
    [TestCase("239.255.255.255")]
    [TestCase("::ffff:224.0.0.1")]
    [TestCase("ff00::")]
    [TestCase("ff02::1")]
    [TestCase("FF05::1:3")]
    public void TryCanonicalize_UnspecifiedBroadcastOrMulticast_RefusedOnHost(string host)
    {
        Assert.Multiple(() =>
        {
            Assert.That(HostRules.TryCanonicalize(host, out var canonical, out var error), Is.False);
            Assert.That(canonical, Is.Null);
            Assert.That(error?.Field, Is.EqualTo("descriptor.host"));
        });
    }

    [TestCase("223.255.255.255", "223.255.255.255")]
    [TestCase("240.0.0.1", "240.0.0.1")]
    [TestCase("255.255.255.254", "255.255.255.254")]
    [TestCase("1.0.0.0", "1.0.0.0")]
    [TestCase("feff::1", "feff::1")]
    public void TryCanonicalize_NextToARefusedRange_Accepted(string host, string expected) =>
        Assert.That(HostRules.Canonicalize(host), Is.EqualTo(expected));

    [TestCase("[::1]", "brackets")]
    [TestCase("[2001:db8::1]", "brackets")]
    [TestCase("[127.0.0.1]", "brackets")]
    [TestCase("fe80::1%eth0", "zone")]
    [TestCase("fe80::1%1", "zone")]
    [TestCase("::ffff:010.0.0.1", "IPv6")]
    [TestCase("1.2::3", "IPv6")]
    [TestCase("::1.2.3.4:5", "IPv6")]
    [TestCase("::ffff:1.2.3", "IPv6")]
    [TestCase("1.2.3.4:80", "IPv6")]
    [TestCase("::1 ", "IPv6")]
    [TestCase("1:2:3:4:5:6:7:8:9", "IPv6")]
    [TestCase("1::2::3", "IPv6")]
    [TestCase("::00001", "IPv6")]
    [TestCase("bücher.example", "punycode")]
    [TestCase("١٢٧.0.0.1", "punycode")]
    [TestCase("010.0.0.1", "punycode")]
    [TestCase("", "1..253")]
    public void TryCanonicalize_Malformed_RefusedSayingWhy(string host, string reasonPart)
    {
        Assert.Multiple(() =>
        {
            Assert.That(HostRules.TryCanonicalize(host, out _, out var error), Is.False);
            Assert.That(error?.Field, Is.EqualTo("descriptor.host"));
            Assert.That(error?.Reason, Does.Contain(reasonPart));
        });
    }

    [Test]
    public void TryCanonicalize_Null_Refused()
    {
        var accepted = HostRules.TryCanonicalize(null, out _, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(accepted, Is.False);
            Assert.That(error?.Field, Is.EqualTo("descriptor.host"));
        });
    }

    [Test]
    public void TryCanonicalize_FieldGiven_ErrorNamesIt()
    {
        HostRules.TryCanonicalize("0.0.0.0", out _, out var error, "nodes[3].host");

        Assert.That(error?.Field, Is.EqualTo("nodes[3].host"));
    }

    [TestCase("0.0.0.0")]
    [TestCase("::")]
    [TestCase("255.255.255.255")]
    [TestCase("224.0.0.251")]
    [TestCase("ff02::fb")]
    [TestCase("::ffff:224.0.0.1")]
    public void Validate_DescriptorWithUnreachableHost_HostError(string host)
    {
        var descriptor = new NodeDescriptor
        {
            IdentityKey = ByteString.CopyFrom(new byte[32]),
            SphinxKey = ByteString.CopyFrom(new byte[32]),
            Role = NodeRole.Mixnode,
            Layer = 1,
            Host = host,
            MixPort = 1789,
            Version = "1.0.0",
            SignedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch),
        };

        Assert.Multiple(() =>
        {
            Assert.That(NodeDescriptorRules.Validate(descriptor)?.Field, Is.EqualTo("descriptor.host"));
            Assert.That(NodeDescriptorRules.Validate(descriptor, "options.")?.Field, Is.EqualTo("options.host"));
            Assert.That(NodeDescriptorRules.IsValidHost(host), Is.False);
        });
    }

    [Test]
    public void Canonicalize_EveryAliasOfLoopback_OneString()
    {
        string[] aliases = ["::1", "0:0:0:0:0:0:0:1", "::0001", "0::1", "0000:0000:0000:0000:0000:0000:0000:0001"];

        Assert.That(aliases.Select(HostRules.Canonicalize).Distinct(), Is.EqualTo(new[] { "::1" }));
    }
}
