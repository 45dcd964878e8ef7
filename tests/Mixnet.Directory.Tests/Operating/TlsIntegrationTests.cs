using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mixnet.Directory.Client;
using Mixnet.Directory.Server.Hosting;
using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.Operating;

/// <summary>
/// The documented TLS configuration: one HTTPS endpoint, a certificate file, native gRPC (HTTP/2)
/// and the browser (HTTP/1.1) on the same port by ALPN.
/// </summary>
[TestFixture]
public sealed class TlsIntegrationTests
{
    [Test]
    public async Task HttpsEndpoint_CertificateFile_ServesGrpcAndBrowserOnOnePort()
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "mixdir-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dataPath);
        using var certificate = SelfSigned();
        var pfx = Path.Combine(dataPath, "tls.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "test-password"));

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = dataPath, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Directory:DataPath"] = dataPath,
            ["Kestrel:Endpoints:Https:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Endpoints:Https:Protocols"] = "Http1AndHttp2",
            ["Kestrel:Endpoints:Https:Certificate:Path"] = pfx,
            ["Kestrel:Endpoints:Https:Certificate:Password"] = "test-password",
        });
        builder.Logging.ClearProviders();
        builder.UseDefaultDirectoryEndpoints();
        builder.AddMixnetDirectory();
        await using var app = builder.Build();
        app.MapMixnetDirectory();
        await app.StartAsync().Within(TimeSpan.FromSeconds(30));
        try
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            Assert.That(addresses, Has.Count.EqualTo(1), "an HTTPS endpoint replaces the two cleartext defaults");
            var address = new Uri(addresses.Single());
            bool TrustTestCertificate(object sender, X509Certificate? cert, X509Chain? chain, System.Net.Security.SslPolicyErrors errors) =>
                cert is not null && cert.GetCertHashString() == certificate.Thumbprint;

            await using var client = new DirectoryClient(address, new DirectoryClientOptions { ServerCertificateValidation = TrustTestCertificate });
            var info = await client.GetDirectoryInfoAsync().Within();
            var topology = await client.GetTopologyAsync().Within();
            Assert.That(info.DirectoryKey.Length, Is.EqualTo(32));
            Assert.That(topology.Version, Is.GreaterThan(0UL));

            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == certificate.Thumbprint };
            using var browserLike = new HttpClient(handler) { BaseAddress = address, DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
            var page = await browserLike.GetAsync("/").Within();
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(page.Version, Is.EqualTo(HttpVersion.Version11));
            Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("<html"));

            Assert.ThrowsAsync<HttpRequestException>(async () =>
            {
                using var untrusting = new HttpClient { BaseAddress = address };
                await untrusting.GetAsync("/").Within();
            }, "a client that does not trust the certificate is refused");
        }
        finally
        {
            await app.StopAsync();
            System.IO.Directory.Delete(dataPath, recursive: true);
        }
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=mixnet-directory-test", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var cert = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }
}
