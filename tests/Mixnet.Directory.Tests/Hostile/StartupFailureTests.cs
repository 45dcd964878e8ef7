using System.Net;
using System.Net.Sockets;
using Mixnet.Directory.Server.Hosting;
using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.Hostile;

/// <summary>Every start-up failure is one line naming what to fix and exit code 1, never an abort.</summary>
[TestFixture]
[Category("Hostile")]
public sealed class StartupFailureTests
{
    private string _data = null!;

    [SetUp]
    public void SetUp()
    {
        _data = Path.Combine(Path.GetTempPath(), "mixdir-start-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(_data);
    }

    [TearDown]
    public void TearDown() => System.IO.Directory.Delete(_data, recursive: true);

    [Test]
    public async Task Run_BadSetting_OneLineNamingTheSettingAndExitCode1()
    {
        var (code, lines) = await RunAsync("--Directory:HeartbeatInterval=00:00:00");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(lines, Has.Length.EqualTo(1));
        Assert.That(lines[0], Does.Contain("Directory:HeartbeatInterval"));
    }

    [Test]
    public async Task Run_PortInUse_OneLineNamingTheAddressAndExitCode1()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (code, lines) = await RunAsync($"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{port}");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(lines, Has.Length.EqualTo(1));
        Assert.That(lines[0], Does.Contain(port.ToString(System.Globalization.CultureInfo.InvariantCulture)).And.Contain("port"));
    }

    [Test]
    public async Task Run_KeyPathIsAFolder_OneLineAndExitCode1()
    {
        var (code, lines) = await RunAsync($"--Directory:SigningKeyPath={_data}");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(lines, Has.Length.EqualTo(1));
        Assert.That(lines[0], Does.Contain("is a folder").And.Contain("Directory:SigningKeyPath"));
    }

    [Test]
    public async Task Run_CorruptKey_OneLineAndExitCode1()
    {
        var key = Path.Combine(_data, "directory.key");
        File.WriteAllText(key, "not a key");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var (code, lines) = await RunAsync();

        Assert.That(code, Is.EqualTo(1));
        Assert.That(lines, Has.Length.EqualTo(1));
        Assert.That(lines[0], Does.Contain("corrupt").And.Contain(key));
    }

    [Test]
    public async Task Run_CorruptBansFile_OneLineAndExitCode1()
    {
        File.WriteAllText(Path.Combine(_data, "bans.json"), "{ not json");

        var (code, lines) = await RunAsync("--Directory:AdminTokens:ops=0123456789abcdef0123");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(lines, Has.Length.EqualTo(1));
        Assert.That(lines[0], Does.Contain("bans.json"));
    }

    [Test]
    public async Task Run_KeyReadableByOthers_RefusedWithChmodHint()
    {
        var key = await CreateKeyAsync();
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        var (code, lines) = await RunAsync();

        Assert.That(code, Is.EqualTo(1));
        Assert.That(lines, Has.Length.EqualTo(1));
        Assert.That(lines[0], Does.Contain("chmod 600").And.Contain("Directory:AllowInsecureKeyFile"));
    }

    [Test]
    public async Task Start_KeyReadableByOthersWithAllowInsecureKeyFile_Starts()
    {
        var key = await CreateKeyAsync();
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        }

        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?> { ["Directory:AllowInsecureKeyFile"] = "true" }, dataPath: _data);

        Assert.That(server.GrpcPort, Is.GreaterThan(0));
    }

    private async Task<string> CreateKeyAsync()
    {
        var host = await DirectoryServerHost.StartAsync(dataPath: _data);
        await host.DisposeAsync();
        return Path.Combine(_data, "directory.key");
    }

    private async Task<(int Code, string[] Lines)> RunAsync(params string[] extra)
    {
        string[] args =
        [
            $"--Directory:DataPath={_data}",
            "--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:0",
            "--Kestrel:Endpoints:Web:Url=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=None",
            .. extra,
        ];

        // Later arguments win, so a test's own endpoint replaces the default one above.
        using var error = new StringWriter();
        var code = await Task.Run(() => DirectoryProgram.Run(args, error)).Within(TimeSpan.FromSeconds(60));
        return (code, error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
