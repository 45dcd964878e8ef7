using System.Text.Json;
using Mixnet.Directory.Cli;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Tools;

/// <summary>mixdir authority keygen: a key file the directory loads as its signing key, and the configuration that names it.</summary>
[TestFixture]
public sealed class MixdirAuthorityKeygenTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), "mixdir-authkey-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void TearDown() => System.IO.Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Keygen_WritesAnOwnerOnlyKey_ThatTheDirectoryLoadsAndPresents()
    {
        var path = Path.Combine(_directory, "auth1", "directory.key");

        var run = await CliRun.RunAsync("authority", "keygen", "--out", path, "-o", "json", "--name", "auth1", "--address", "http://127.0.0.1:7001");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var publicKey = json.RootElement.GetProperty("public_key").GetString();
        Assert.That(json.RootElement.GetProperty("authority").GetProperty("Key").GetString(), Is.EqualTo(publicKey));
        Assert.That(json.RootElement.GetProperty("authority").GetProperty("Address").GetString(), Is.EqualTo("http://127.0.0.1:7001"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }

        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?> { ["Directory:SigningKeyPath"] = path });
        try
        {
            var info = await new RawClients(server.Channel).Topology.GetDirectoryInfoAsync(new GetDirectoryInfoRequest()).ResponseAsync.Within();
            Assert.That(info.DirectoryKey.Hex(), Is.EqualTo(publicKey), "the directory signs with the generated key");
        }
        finally
        {
            server.DeleteData();
        }
    }

    [Test]
    public async Task Keygen_PrintsTheKeyAndTheAuthorityEntry_AsJsonAndEnvironmentVariables()
    {
        var path = Path.Combine(_directory, "directory.key");

        var run = await CliRun.RunAsync("authority", "keygen", "--out", path, "--name", "auth3", "--address", "http://10.0.0.3:5000", "--index", "2");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
        var hex = run.Output.Split('\n').Single(l => l.StartsWith("public key", StringComparison.Ordinal))["public key".Length..].Trim();
        Assert.That(hex, Does.Match("^[0-9a-f]{64}$"));
        Assert.That(run.Output, Does.Contain($"Directory__SigningKeyPath={path}"));
        Assert.That(run.Output, Does.Contain("Directory__Authorities__2__Name=auth3"));
        Assert.That(run.Output, Does.Contain($"Directory__Authorities__2__Key={hex}"));
        Assert.That(run.Output, Does.Contain("Directory__Authorities__2__Address=http://10.0.0.3:5000"));
        using var snippet = JsonDocument.Parse(run.Output.Split('\n').Single(l => l.StartsWith('{')));
        var entry = snippet.RootElement.GetProperty("Directory").GetProperty("Authorities")[0];
        Assert.That(entry.GetProperty("Key").GetString(), Is.EqualTo(hex));
        Assert.That(entry.GetProperty("Name").GetString(), Is.EqualTo("auth3"));
    }

    [Test]
    public async Task Keygen_FileExists_RefusesAndKeepsIt()
    {
        var path = Path.Combine(_directory, "directory.key");
        await File.WriteAllTextAsync(path, "the old key");

        var run = await CliRun.RunAsync("authority", "keygen", "--out", path);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
        Assert.That(run.Error, Does.Contain("exists; refusing to overwrite"));
        Assert.That(await File.ReadAllTextAsync(path), Is.EqualTo("the old key"));
    }

    [TestCase(new[] { "authority", "keygen" }, "--out: required")]
    [TestCase(new[] { "authority", "keygen", "--out", "k", "--address", "10.0.0.1:5000" }, "--address: '10.0.0.1:5000' is not an http:// or https:// URL")]
    [TestCase(new[] { "authority", "keygen", "--out", "k", "--force" }, "Unknown option 'force'")]
    public async Task WrongInput_Exit1(string[] args, string message)
    {
        var run = await CliRun.RunAsync(args);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
        Assert.That(run.Error, Does.Contain(message));
        Assert.That(File.Exists("k"), Is.False);
    }
}
