using System.Net;
using Mixnet.Directory.Server.Limits;

namespace Mixnet.Directory.Tests.Hostile;

[TestFixture]
[Category("Hostile")]
public sealed class ClientAddressTests
{
    [TestCase("2001:db8:1:2:aaaa::1", "2001:db8:1:2::")]
    [TestCase("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::")]
    [TestCase("::ffff:192.0.2.7", "192.0.2.7")]
    [TestCase("192.0.2.7", "192.0.2.7")]
    public void KeyOf_Address_BucketsPerSlash64AndFoldsMappedIpv4(string address, string key)
    {
        Assert.That(ClientAddress.KeyOf(IPAddress.Parse(address)), Is.EqualTo(IPAddress.Parse(key)));
    }

    [Test]
    public void KeyOf_TwoSlash64s_DifferentKeys()
    {
        Assert.That(ClientAddress.KeyOf(IPAddress.Parse("2001:db8:1:2::1")), Is.Not.EqualTo(ClientAddress.KeyOf(IPAddress.Parse("2001:db8:1:3::1"))));
    }

    [Test]
    public void TryRegister_AddressesInOneSlash64_ShareOneBucket()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new Mixnet.Directory.Server.Hosting.DirectoryOptions());
        options.Value.RateLimits.RegistrationBurstPerIp = 2;
        options.Value.RateLimits.RegistrationsPerSecondPerIp = 1;
        using var limiter = new ClientRateLimiter(options);

        Assert.That(limiter.TryRegister(IPAddress.Parse("2001:db8::1"), out _), Is.True);
        Assert.That(limiter.TryRegister(IPAddress.Parse("2001:db8::2"), out _), Is.True);
        Assert.That(limiter.TryRegister(IPAddress.Parse("2001:db8::3"), out var retry), Is.False, "a new address in the same /64 is the same caller");
        Assert.That(retry, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(limiter.TryRegister(IPAddress.Parse("2001:db8:0:1::1"), out _), Is.True, "another /64 has its own bucket");
    }
}
