using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using Mixnet.Directory.Cli;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Tools;

/// <summary>
/// tools/authorities/run-local.sh as the demo runs it: three real server processes that agree on a
/// consensus signed by all three, and that the script stops when it is told to. It runs the dlls the
/// solution build made (MIXNET_SERVER_DLL, MIXDIR_DLL), so it builds nothing.
/// </summary>
[TestFixture]
[NonParallelizable]
[Platform(Exclude = "Win", Reason = "a bash script and POSIX signals")]
public sealed partial class AuthorityScriptTests
{
    private string _data = null!;

    [SetUp]
    public void SetUp() => _data = Path.Combine(Path.GetTempPath(), "mixdir-run-local-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (System.IO.Directory.Exists(_data))
        {
            System.IO.Directory.Delete(_data, recursive: true);
        }
    }

    [Test]
    public async Task RunLocal_ThreeAuthoritiesSignAConsensus_AndSigtermStopsThemAll()
    {
        var basePort = FreeBasePort();
        var output = new LineCapture();
        // --seconds bounds the run even if this test dies before it sends SIGTERM.
        using var script = StartScript(output, "--epoch", "4s", "--base-port", basePort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", _data, "--seconds", "90");
        try
        {
            await output.WaitForLineAsync(l => l.Contains("Ctrl+C stops all 3 authorities", StringComparison.Ordinal)).Within(TimeSpan.FromSeconds(60));
            var authorities = output.Lines.Select(l => AuthorityLine().Match(l)).Where(m => m.Success).ToList();
            Assert.That(authorities, Has.Count.EqualTo(3), output.Text);
            var keys = authorities.Select(m => m.Groups["key"].Value).ToArray();
            var pids = authorities.Select(m => int.Parse(m.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.That(authorities.Select(m => int.Parse(m.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(new[] { basePort + 1, basePort + 2, basePort + 3 }));
            if (!OperatingSystem.IsWindows())
            {
                Assert.That(File.GetUnixFileMode(Path.Combine(_data, "auth1", "directory.key")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            }

            // Awaits the first consensus that all three signed, as a client watching authority 1 sees it.
            using (var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{basePort + 1}"))
            {
                using var watch = new TopologyService.TopologyServiceClient(channel).WatchConsensus(new WatchConsensusRequest());
                await FullySignedAsync(watch.ResponseStream).Within(TimeSpan.FromSeconds(40));
            }

            var pins = authorities.SelectMany(m => new[] { "--authority", $"http://127.0.0.1:{m.Groups["port"].Value}={m.Groups["key"].Value}" }).ToArray();
            var run = await CliRun.RunAsync(["consensus", "-o", "json", .. pins]);
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
            using var json = JsonDocument.Parse(run.Output);
            var signers = json.RootElement.GetProperty("signers").EnumerateArray().ToList();
            Assert.That(signers.Where(s => s.GetProperty("state").GetString() == "signed").Select(s => s.GetProperty("authority_key").GetString()), Is.EquivalentTo(keys));
            Assert.That(output.Text, Does.Contain("consensus" + string.Concat(pins.Select(p => " " + p))), "the printed command is the one that verifies");

            await ToolSignalTests.SigtermAsync(script);

            await script.WaitForExitAsync().Within(TimeSpan.FromSeconds(30));
            Assert.That(script.ExitCode, Is.EqualTo(143), output.Text);
            Assert.That(pids.Where(IsRunning), Is.Empty, "every authority was stopped");
        }
        finally
        {
            if (!script.HasExited)
            {
                script.Kill(entireProcessTree: true);
            }

            TestContext.Out.WriteLine(output.Text);
        }
    }

    private static async Task FullySignedAsync(Grpc.Core.IAsyncStreamReader<WatchConsensusResponse> stream)
    {
        while (await stream.MoveNext(CancellationToken.None))
        {
            if (stream.Current.Consensus.Signatures.Count == 3)
            {
                return;
            }
        }

        Assert.Fail("the consensus stream ended before a document signed by all three");
    }

    private static Process StartScript(LineCapture output, params string[] args)
    {
        var server = ToolPaths.ServerDll;
        var mixdir = ToolPaths.ToolDll("mixdir");
        Assert.That(File.Exists(server), Is.True, $"the server is built: {server}");
        Assert.That(File.Exists(mixdir), Is.True, $"mixdir is built: {mixdir}");
        var script = Path.Combine(ToolPaths.RepositoryRoot, "tools", "authorities", "run-local.sh");
        return ToolPaths.Start("bash", output, [script, .. args], new Dictionary<string, string?>
        {
            ["MIXNET_SERVER_DLL"] = server,
            ["MIXDIR_DLL"] = mixdir,
            // The servers must not inherit the test host's environment name or URLs.
            ["ASPNETCORE_URLS"] = null,
            ["DOTNET_ENVIRONMENT"] = null,
        });
    }

    private static bool IsRunning(int pid) => System.IO.Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    /// <summary>A base port whose gRPC (base+1..3) and Web (base+81..83) ports are free now.</summary>
    private static int FreeBasePort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var basePort = Random.Shared.Next(20000, 60000);
            int[] ports = [basePort + 1, basePort + 2, basePort + 3, basePort + 81, basePort + 82, basePort + 83];
            if (ports.All(IsFree))
            {
                return basePort;
            }
        }

        Assert.Fail("no free port range on 127.0.0.1");
        return 0;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^\s+auth\d\s+gRPC http://127\.0\.0\.1:(?<port>\d+)\s+dashboard \S+\s+key (?<key>[0-9a-f]{64})\s+pid (?<pid>\d+)$")]
    private static partial Regex AuthorityLine();
}
