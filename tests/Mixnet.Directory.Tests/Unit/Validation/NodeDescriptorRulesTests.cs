using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.V1;
using Mixnet.Directory.Validation;

namespace Mixnet.Directory.Tests.Unit.Validation;

public sealed class NodeDescriptorRulesTests
{
    [TestCase("127.0.0.1")]
    [TestCase("203.0.113.255")]
    [TestCase("::1")]
    [TestCase("2001:db8::1")]
    [TestCase("::ffff:192.0.2.1")]
    [TestCase("node-1.example.org")]
    [TestCase("example.org.")]
    [TestCase("localhost")]
    [TestCase("a")]
    [TestCase("xn--bcher-kva.example")]
    [TestCase("1a.example.org")]
    public void IsValidHost_ValidHost_True(string host) =>
        Assert.That(NodeDescriptorRules.IsValidHost(host), Is.True);

    [TestCase("")]
    [TestCase("bad host")]
    [TestCase("-a.com")]
    [TestCase("a-.com")]
    [TestCase("a..com")]
    [TestCase(".a.com")]
    [TestCase("a_b.com")]
    [TestCase("1.2.3")]
    [TestCase("1.2.3.4.5")]
    [TestCase("999.1.1.1")]
    [TestCase("256.0.0.1")]
    [TestCase("fe80::1%eth0")]
    [TestCase("1::2::3")]
    [TestCase("http://a.com")]
    [TestCase("a.com:80")]
    [TestCase("bücher.example")]
    public void IsValidHost_InvalidHost_False(string host) =>
        Assert.That(NodeDescriptorRules.IsValidHost(host), Is.False);

    [TestCase("[::1]")]
    [TestCase("[2001:db8::1]")]
    public void IsValidHost_BracketedIpv6_False(string host) =>
        Assert.That(NodeDescriptorRules.IsValidHost(host), Is.False, "the rule says IPv6 literals come without brackets");

    [TestCase("example.com\n")]
    [TestCase("localhost\n")]
    [TestCase("1.2.3.4\n")]
    public void IsValidHost_TrailingNewline_False(string host) =>
        Assert.That(NodeDescriptorRules.IsValidHost(host), Is.False, "a newline is no part of a host name ($ in a .NET regex also matches before a final \\n)");

    [TestCase("010.0.0.1")]
    [TestCase("0x7f.0.0.1")]
    public void IsValidHost_AmbiguousIpv4Spelling_False(string host) =>
        Assert.That(NodeDescriptorRules.IsValidHost(host), Is.False, "inet_aton-style resolvers (and IPAddress.Parse) read this as a different address than it appears to be");

    [Test]
    public void IsValidHost_LengthBoundary_253ValidAnd254Invalid()
    {
        var host253 = LongHost(253);
        var host254 = LongHost(254);

        Assert.Multiple(() =>
        {
            Assert.That(host253, Has.Length.EqualTo(253));
            Assert.That(NodeDescriptorRules.IsValidHost(host253), Is.True);
            Assert.That(NodeDescriptorRules.IsValidHost(host254), Is.False);
        });
    }

    [Test]
    public void IsValidHost_LabelOf64Chars_False() =>
        Assert.That(NodeDescriptorRules.IsValidHost(new string('a', 64) + ".com"), Is.False);

    [TestCase("0.0.0")]
    [TestCase("1.2.3")]
    [TestCase("10.20.30")]
    [TestCase("1.0.0-alpha")]
    [TestCase("1.0.0-alpha.1")]
    [TestCase("1.0.0-0.3.7")]
    [TestCase("1.0.0-x.7.z.92")]
    [TestCase("1.0.0+20130313144700")]
    [TestCase("1.0.0-beta+exp.sha.5114f85")]
    public void Validate_SemverVersion_Valid(string version) =>
        Assert.That(NodeDescriptorRules.Validate(Valid(d => d.Version = version)), Is.Null);

    [TestCase("")]
    [TestCase("1")]
    [TestCase("1.2")]
    [TestCase("v1.2.3")]
    [TestCase("01.2.3")]
    [TestCase("1.02.3")]
    [TestCase("1.2.3-")]
    [TestCase("1.2.3-01")]
    [TestCase("1.2.3+")]
    [TestCase("1.2.3.4")]
    [TestCase(" 1.2.3")]
    [TestCase("1.2.3\n")]
    [TestCase("1\u0661.2.3")]
    [TestCase("1.2.3-\u0661a")]
    public void Validate_NotSemverVersion_VersionError(string version) =>
        Assert.That(NodeDescriptorRules.Validate(Valid(d => d.Version = version))?.Field, Is.EqualTo("descriptor.version"));

    [Test]
    public void Validate_VersionLengthBoundary_64ValidAnd65Invalid()
    {
        var v64 = "1.2.3-" + new string('a', 58);
        var v65 = "1.2.3-" + new string('a', 59);

        Assert.Multiple(() =>
        {
            Assert.That(NodeDescriptorRules.Validate(Valid(d => d.Version = v64)), Is.Null);
            Assert.That(NodeDescriptorRules.Validate(Valid(d => d.Version = v65))?.Field, Is.EqualTo("descriptor.version"));
        });
    }

    [TestCase("")]
    [TestCase("Zürich, CH")]
    [TestCase("東京")]
    [TestCase("🇩🇪 Berlin")]
    public void Validate_PrintableLocation_Valid(string location) =>
        Assert.That(NodeDescriptorRules.Validate(Valid(d => d.Location = location)), Is.Null);

    [TestCase("a\tb")]
    [TestCase("a\u0000")]
    [TestCase("a\u007f")]
    [TestCase("a\u200eb")]
    [TestCase("a\u2028b")]
    public void Validate_UnprintableLocation_LocationError(string location) =>
        Assert.That(NodeDescriptorRules.Validate(Valid(d => d.Location = location))?.Field, Is.EqualTo("descriptor.location"));

    [Test]
    public void Validate_LoneSurrogateInLocation_LocationError()
    {
        // Built in code: attribute arguments are stored as UTF-8 and would turn a lone surrogate into U+FFFD.
        var high = new string((char)0xD800, 1);
        var low = new string((char)0xDC00, 1) + "a";

        Assert.Multiple(() =>
        {
            Assert.That(NodeDescriptorRules.Validate(Valid(d => d.Location = high))?.Field, Is.EqualTo("descriptor.location"));
            Assert.That(NodeDescriptorRules.Validate(Valid(d => d.Location = "a" + high + "b"))?.Field, Is.EqualTo("descriptor.location"));
            Assert.That(NodeDescriptorRules.Validate(Valid(d => d.Location = low))?.Field, Is.EqualTo("descriptor.location"));
        });
    }

    [Test]
    public void Validate_CustomPrefix_UsedInFieldName() =>
        Assert.That(NodeDescriptorRules.Validate(Valid(d => d.MixPort = 0), prefix: "")?.Field, Is.EqualTo("mix_port"));

    [Test]
    public void Validate_SeveralErrors_ReportsFirstInFieldOrder()
    {
        var error = NodeDescriptorRules.Validate(Valid(d =>
        {
            d.SphinxKey = ByteString.Empty;
            d.Host = "bad host";
        }));

        Assert.That(error?.Field, Is.EqualTo("descriptor.sphinx_key"));
    }

    [Test]
    public void Validate_SignedAtSecondsBeyondYear9999_SignedAtError() =>
        Assert.That(NodeDescriptorRules.Validate(Valid(d => d.SignedAt = new Timestamp { Seconds = 253_402_300_800L }))?.Field, Is.EqualTo("descriptor.signed_at"));

    [Test]
    public void FieldError_ToString_FieldAndReason() =>
        Assert.That(new FieldError("descriptor.host", "bad").ToString(), Is.EqualTo("descriptor.host: bad"));

    internal static string LongHost(int length)
    {
        // Labels of 63 characters joined by dots, trimmed to the exact length, never ending in a dot or hyphen.
        var label = new string('a', 63);
        var host = string.Join('.', Enumerable.Repeat(label, 5))[..length];
        return host.EndsWith('.') ? host[..^1] + "b" : host;
    }

    private static NodeDescriptor Valid(Action<NodeDescriptor> edit)
    {
        var descriptor = new NodeDescriptor
        {
            IdentityKey = ByteString.CopyFrom(new byte[32]),
            SphinxKey = ByteString.CopyFrom(new byte[32]),
            Role = NodeRole.Mixnode,
            Layer = 1,
            Host = "10.0.0.1",
            MixPort = 1789,
            Version = "1.0.0",
            Location = "Berlin",
            SignedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch),
        };
        edit(descriptor);
        return descriptor;
    }
}
