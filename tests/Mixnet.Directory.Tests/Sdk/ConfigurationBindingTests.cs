using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Client;
using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.Sdk;

public sealed class ConfigurationBindingTests
{
    [Test]
    public async Task AddNodeAgent_ConfigurationSection_BindsAGatewayWithoutLayer()
    {
        using var identity = NodeIdentity.Generate();
        var configuration = Configuration(new()
        {
            ["NodeAgent:DirectoryAddress"] = "http://127.0.0.1:1",
            ["NodeAgent:Role"] = "Gateway",
            ["NodeAgent:Host"] = "198.51.100.7",
            ["NodeAgent:MixPort"] = "1789",
            ["NodeAgent:ClientPort"] = "9000",
            ["NodeAgent:CallTimeout"] = "00:00:04",
        });
        var services = new ServiceCollection().AddLogging();
        services.AddNodeAgent(configuration.GetSection("NodeAgent")).UseIdentity(identity);
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<NodeAgentOptions>>().Value;
        Assert.That(options.DirectoryAddress, Is.EqualTo(new Uri("http://127.0.0.1:1")));
        Assert.That(options.Role, Is.EqualTo(NodeRole.Gateway));
        Assert.That(options.Layer, Is.Null);
        Assert.That(options.CallTimeout, Is.EqualTo(TimeSpan.FromSeconds(4)));
        Assert.That(provider.GetRequiredService<NodeAgent>().IdentityKey.ToArray(), Is.EqualTo(identity.IdentityKey.ToArray()));
    }

    [Test]
    public async Task AddDirectoryClient_ConfigurationSection_BindsAddressAndPinnedKey()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var configuration = Configuration(new()
        {
            ["DirectoryClient:Address"] = "http://127.0.0.1:1",
            ["DirectoryClient:PinnedDirectoryKey"] = Convert.ToBase64String(key),
            ["DirectoryClient:MaxRetryAttempts"] = "2",
        });
        var services = new ServiceCollection().AddLogging();
        services.AddDirectoryClient(configuration.GetSection("DirectoryClient"));
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<DirectoryClientOptions>>().Value;
        Assert.That(options.Address, Is.EqualTo(new Uri("http://127.0.0.1:1")));
        Assert.That(options.PinnedDirectoryKey, Is.EqualTo(key));
        Assert.That(options.MaxRetryAttempts, Is.EqualTo(2));
        var client = provider.GetRequiredService<DirectoryClient>();
        Assert.That((await client.GetDirectoryKeyAsync().Within()).ToArray(), Is.EqualTo(key), "a pinned key is used without asking the directory");
    }

    [Test]
    public async Task AddNodeAgent_DirectoryAddresses_BindsTheListBesideTheSingleAddress()
    {
        using var identity = NodeIdentity.Generate();
        var configuration = Configuration(new()
        {
            ["NodeAgent:DirectoryAddress"] = "http://127.0.0.1:1",
            ["NodeAgent:DirectoryAddresses:0"] = "http://127.0.0.1:1",
            ["NodeAgent:DirectoryAddresses:1"] = "http://127.0.0.1:2",
            ["NodeAgent:Layer"] = "1",
            ["NodeAgent:Host"] = "198.51.100.7",
            ["NodeAgent:MixPort"] = "1789",
        });
        var services = new ServiceCollection().AddLogging();
        services.AddNodeAgent(configuration.GetSection("NodeAgent")).UseIdentity(identity);
        await using var provider = services.BuildServiceProvider();

        var agent = provider.GetRequiredService<NodeAgent>();
        Assert.That(agent.Directories.Select(d => d.Address), Is.EqualTo(new[] { new Uri("http://127.0.0.1:1"), new Uri("http://127.0.0.1:2") }), "one link per distinct address");
    }

    [Test]
    public async Task AddDirectoryClient_Authorities_BindsAddressesKeysAndThreshold()
    {
        var keys = Enumerable.Range(0, 3).Select(i => Enumerable.Range(0, 32).Select(b => (byte)(b + i)).ToArray()).ToArray();
        var values = new Dictionary<string, string?> { ["DirectoryClient:AuthorityThreshold"] = "3" };
        for (var i = 0; i < 3; i++)
        {
            values[$"DirectoryClient:Authorities:{i}:Address"] = $"http://127.0.0.1:{i + 1}";
            values[$"DirectoryClient:Authorities:{i}:Key"] = Convert.ToHexString(keys[i]);
        }

        var services = new ServiceCollection().AddLogging();
        services.AddDirectoryClient(Configuration(values).GetSection("DirectoryClient"));
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<DirectoryClientOptions>>().Value;
        Assert.That(options.Authorities.Select(a => a.Address), Is.EqualTo(Enumerable.Range(1, 3).Select(i => new Uri($"http://127.0.0.1:{i}"))));
        Assert.That(options.Authorities.Select(a => a.KeyBytes), Is.EqualTo(keys));
        Assert.That(options.AuthorityThreshold, Is.EqualTo(3));
        Assert.That(provider.GetRequiredService<DirectoryClient>().UsesConsensus, Is.True);
    }

    [Test]
    public void AddNodeAgent_SectionWithoutAddress_HostFailsToStartNamingIt()
    {
        using var identity = NodeIdentity.Generate();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddNodeAgent(Configuration(new() { ["NodeAgent:Layer"] = "2", ["NodeAgent:Host"] = "198.51.100.7", ["NodeAgent:MixPort"] = "1789" }).GetSection("NodeAgent"))
            .UseIdentity(identity);
        using var host = builder.Build();

        var ex = Assert.CatchAsync<OptionsValidationException>(() => host.StartAsync().Within());
        Assert.That(ex!.Message, Does.Contain("DirectoryAddress"));
    }

    [Test]
    public void AddDirectoryClient_ShortPinnedKey_HostFailsToStartNamingIt()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddDirectoryClient(o =>
        {
            o.Address = new Uri("http://127.0.0.1:1");
            o.PinnedDirectoryKey = [1, 2, 3];
        });
        using var host = builder.Build();

        var ex = Assert.CatchAsync<OptionsValidationException>(() => host.StartAsync().Within());
        Assert.That(ex!.Message, Does.Contain("PinnedDirectoryKey"));
    }

    private static IConfigurationRoot Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
