using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Mixnet.Directory.Cli;
using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.Tools;

/// <summary>
/// How mixdir meets the network: the health probe, --timeout, a pinned key from the environment,
/// plain hints for the usual wrong ports, and streams that keep retrying while the directory is away.
/// </summary>
[TestFixture]
public sealed class MixdirConnectionTests : DirectoryFixture
{
    private string _address = null!;

    [SetUp]
    public async Task SetUp()
    {
        await StartDirectoryAsync();
        _address = Server.GrpcAddress.ToString().TrimEnd('/');
    }

    [Test]
    public async Task Health_Serving_ExitsZero()
    {
        var table = await CliRun.RunAsync("health", "--directory", _address);
        var json = await CliRun.RunAsync("health", "-o", "json", "--directory", _address);

        Assert.That(table.ExitCode, Is.EqualTo(ExitCodes.Success), table.ToString());
        Assert.That(table.Output.Trim(), Is.EqualTo("SERVING"));
        Assert.That(json.ExitCode, Is.EqualTo(ExitCodes.Success), json.ToString());
        using var document = JsonDocument.Parse(json.Output);
        Assert.That(document.RootElement.GetProperty("status").GetString(), Is.EqualTo("SERVING"));
    }

    [Test]
    public async Task Health_UnknownService_ExitsOne()
    {
        var run = await CliRun.RunAsync("health", "--service", "no.such.Service", "--directory", _address);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.NotServing), run.ToString());
        Assert.That(run.Output.Trim(), Is.EqualTo("SERVICE_UNKNOWN"));
    }

    [Test]
    public async Task Health_Unreachable_ExitsTwo()
    {
        var run = await CliRun.RunAsync("health", "--directory", $"http://127.0.0.1:{UnusedPort()}");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Unreachable), run.ToString());
    }

    [Test]
    public async Task WebPort_ExitsTwoWithAHintToUseTheGrpcPort()
    {
        var run = await CliRun.RunAsync("info", "--directory", Server.WebAddress.ToString().TrimEnd('/'));

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Unreachable), run.ToString());
        Assert.That(run.Error, Does.Contain("Web (HTTP/1.1) port").And.Contain("gRPC port (default 5000)"));
    }

    [Test]
    public async Task HttpsToACleartextPort_ExitsTwoWithAHintToUseHttp()
    {
        var run = await CliRun.RunAsync("info", "--directory", $"https://127.0.0.1:{Server.GrpcPort}");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Unreachable), run.ToString());
        Assert.That(run.Error, Does.Contain("does not speak TLS on this port; use http://"));
    }

    [Test]
    public async Task Timeout_ServerThatNeverAnswers_ExitsTwoSoon()
    {
        // A TCP listener that accepts and then says nothing: only the timeout ends the call.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new ConcurrentBag<Socket>();
        var accepting = AcceptUntilStoppedAsync(silent, accepted);
        var address = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        var clock = Stopwatch.StartNew();

        var run = await CliRun.RunAsync("info", "--timeout", "500ms", "--directory", address);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Unreachable), run.ToString());
        Assert.That(run.Error, Does.Contain("no answer in time"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(8)), "the 10 s default would have taken longer");
        silent.Stop();
        await accepting.Within();
        foreach (var socket in accepted)
        {
            socket.Dispose();
        }
    }

    [Test]
    public async Task DirectoryKeyVariable_PinsTheKey()
    {
        var wrong = new Dictionary<string, string> { ["MIXDIR_DIRECTORY_KEY"] = new string('0', 64) };

        var run = await CliRun.RunAsync(wrong, "info", "--directory", _address);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.KeyMismatch), run.ToString());
        Assert.That(run.Error, Does.Contain("not the pinned"));
    }

    [Test]
    public async Task Watch_DirectoryGoesAway_SaysReconnecting_AndRecoversWhenItIsBack()
    {
        var output = new LineCapture();
        var error = new LineCapture();
        using var cancel = new CancellationTokenSource();
        var run = CliApp.RunAsync(["watch", "--directory", _address], output, error, _ => null, cancel.Token);
        await output.WaitForLineAsync(l => l.Contains("snapshot", StringComparison.Ordinal)).Within();

        var port = Server.GrpcPort;
        await Server.StopAsync();
        var reconnecting = await error.WaitForLineAsync(l => l.Contains("reconnecting…", StringComparison.Ordinal)).Within();
        Assert.That(run.IsCompleted, Is.False, "watch keeps retrying");

        await using var restarted = await DirectoryServerHost.StartAsync(grpcPort: port, dataPath: Server.DataPath);
        var back = await error.WaitForLineAsync(l => l.Contains("reconnected", StringComparison.Ordinal)).Within(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync();

        Assert.That(await run.Within(), Is.EqualTo(ExitCodes.Success));
        Assert.That(reconnecting, Does.StartWith("mixdir: topology watch stream"));
        Assert.That(back, Does.Contain("topology watch stream reconnected"));
        restarted.AssertNoUnexpectedErrors();
    }

    private static async Task AcceptUntilStoppedAsync(TcpListener listener, ConcurrentBag<Socket> accepted)
    {
        try
        {
            while (true)
            {
                accepted.Add(await listener.AcceptSocketAsync());
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    /// <summary>A loopback port nothing listens on: bound, read, released.</summary>
    private static int UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
