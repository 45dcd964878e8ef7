using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mixnet.Directory.Client;

namespace Mixnet.Directory.Tests.Sdk;

public sealed class ServiceRegistrationTests
{
    [Test]
    public async Task AddNodeAgent_FirstRun_CreatesIdentityFileAndRegistersHostedService()
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("sdk-di-").FullName;
        try
        {
            var path = Path.Combine(dir, "node.key");
            var services = new ServiceCollection().AddLogging();
            var builder = services.AddNodeAgent(o =>
            {
                o.DirectoryAddress = new Uri("http://127.0.0.1:1");
                o.Host = "198.51.100.7";
                o.MixPort = 1789;
                o.Layer = 3;
            }).Configure(o => o.IdentityPath = path);
            Assert.That(builder.Services, Is.SameAs(services));

            await using (var provider = services.BuildServiceProvider())
            {
                var hosted = provider.GetServices<IHostedService>().OfType<NodeAgentHostedService>().Single();
                Assert.That(hosted.Agent, Is.SameAs(provider.GetRequiredService<NodeAgent>()));
                Assert.That(File.Exists(path), Is.True);
                Assert.That(hosted.Agent.IdentityKey.ToArray(), Is.EqualTo(provider.GetRequiredService<NodeIdentity>().IdentityKey.ToArray()));
            }

            using var reloaded = NodeIdentity.Load(path);
            Assert.That(reloaded.IdentityKey.Length, Is.EqualTo(32));
        }
        finally
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task AddDirectoryClient_Configured_ResolvesOneClient()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddDirectoryClient(o => o.Address = new Uri("http://127.0.0.1:1"))
            .Configure(o => o.MaxRetryAttempts = 3);
        await using var provider = services.BuildServiceProvider();

        var first = provider.GetRequiredService<DirectoryClient>();
        var second = provider.GetRequiredService<DirectoryClient>();
        Assert.That(second, Is.SameAs(first));
    }
}
