using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Tests.Abuse;

public sealed class CanonicalHostTests
{
    [TestCase("::1", "::1")]
    [TestCase("0:0:0:0:0:0:0:1", "::1")]
    [TestCase("::ffff:127.0.0.1", "127.0.0.1")]
    [TestCase("2001:0db8::1", "2001:db8::1")]
    [TestCase("2001:db8:0::1", "2001:db8::1")]
    [TestCase("2001:DB8::A", "2001:db8::a")]
    [TestCase("127.0.0.1", "127.0.0.1")]
    [TestCase("example.com.", "example.com")]
    [TestCase("Example.COM", "example.com")]
    public void Of_EquivalentSpellings_OneCanonicalForm(string host, string expected)
    {
        Assert.That(CanonicalHost.Of(host), Is.EqualTo(expected));
    }

    [TestCase("0.0.0.0")]
    [TestCase("::")]
    [TestCase("255.255.255.255")]
    [TestCase("224.0.0.1")]
    [TestCase("239.255.255.250")]
    [TestCase("ff02::1")]
    public void Refusal_UnreachableAddress_Refused(string host)
    {
        Assert.That(CanonicalHost.Refusal(CanonicalHost.Of(host)), Does.StartWith("descriptor.host"));
    }

    [TestCase("127.0.0.1")]
    [TestCase("10.0.0.1")]
    [TestCase("2001:db8::1")]
    [TestCase("example.com")]
    [TestCase("223.255.255.255")]
    public void Refusal_OrdinaryHost_Allowed(string host)
    {
        Assert.That(CanonicalHost.Refusal(CanonicalHost.Of(host)), Is.Null);
    }

    [Test]
    public void CallerPrefix_IPv6_CountsPer64AndFoldsMappedIPv4()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CallerPrefix.Of(System.Net.IPAddress.Parse("2001:db8::1")), Is.EqualTo(CallerPrefix.Of(System.Net.IPAddress.Parse("2001:db8::ffff:2"))));
            Assert.That(CallerPrefix.Of(System.Net.IPAddress.Parse("2001:db8::1")), Is.Not.EqualTo(CallerPrefix.Of(System.Net.IPAddress.Parse("2001:db8:0:1::1"))));
            Assert.That(CallerPrefix.Of(System.Net.IPAddress.Parse("::ffff:10.0.0.1")), Is.EqualTo(CallerPrefix.Of(System.Net.IPAddress.Parse("10.0.0.1"))));
            Assert.That(CallerPrefix.Of(System.Net.IPAddress.Parse("10.0.0.1")), Is.Not.EqualTo(CallerPrefix.Of(System.Net.IPAddress.Parse("10.0.0.2"))));
            Assert.That(CallerPrefix.Of(System.Net.IPAddress.Parse("10.0.0.1")).ToString(), Is.EqualTo("10.0.0.1"));
            Assert.That(CallerPrefix.Of(null).IsKnown, Is.False);
        });
    }
}
