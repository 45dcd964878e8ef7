using Mixnet.Directory.Server.Quality;
using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Tests.Quality;

public sealed class HopEndpointTests
{
    [TestCase("10.0.0.1:1789", "10.0.0.1", 1789u)]
    [TestCase("Mix.Example.ORG:1789", "mix.example.org", 1789u)]
    [TestCase("[2001:DB8::1]:443", "2001:db8::1", 443u)]
    [TestCase("[::1]:1", "::1", 1u)]
    public void TryParse_ValidHop_GivesTheRegistrysEndpointForm(string hop, string host, uint port)
    {
        Assert.That(HopEndpoint.TryParse(hop, out var endpoint), Is.True);
        Assert.That(endpoint, Is.EqualTo(new EndpointKey(host, port)));
    }

    [TestCase("10.0.0.1")]
    [TestCase("10.0.0.1:")]
    [TestCase(":1789")]
    [TestCase("10.0.0.1:0")]
    [TestCase("10.0.0.1:65536")]
    [TestCase("10.0.0.1:+12")]
    [TestCase("2001:db8::1:1789")]
    [TestCase("[2001:db8::1:1789")]
    [TestCase("[]:1789")]
    public void TryParse_Malformed_Refused(string hop) => Assert.That(HopEndpoint.TryParse(hop, out _), Is.False);
}
