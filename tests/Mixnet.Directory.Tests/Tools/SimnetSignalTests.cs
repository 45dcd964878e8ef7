using System.Diagnostics;
using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.Tools;

/// <summary>
/// simnet as a real process: SIGTERM (what kill, docker stop and systemd send) shuts it down as
/// cleanly as Ctrl+C, so its nodes deregister and leave the topology at once rather than after the TTL.
/// </summary>
[TestFixture]
[Platform(Exclude = "Win", Reason = "POSIX signals")]
public sealed class SimnetSignalTests
{
    // Much longer than the test waits: a node that leaves in time was deregistered, not expired.
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(2);

    private DirectoryServerHost _server = null!;

    [SetUp]
    public async Task SetUp()
    {
        _server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Directory:MetricsWindow"] = "00:00:00.100",
            ["Directory:HeartbeatInterval"] = "00:00:00.500",
            ["Directory:PresenceTtl"] = Ttl.ToString(),
        });
    }

    [TearDown]
    public async Task TearDown()
    {
        _server.AssertNoUnexpectedErrors();
        await _server.DisposeAsync();
        _server.DeleteData();
    }

    [Test]
    public async Task Sigterm_DeregistersEveryNode_AndExitsZero()
    {
        var simnet = SimnetDll();
        Assert.That(File.Exists(simnet), Is.True, $"simnet is built: {simnet}");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { simnet, "--directory", _server.GrpcAddress.ToString(), "--mixnodes", "3", "--gateways", "1", "--rate", "50", "--status", "1s", "--base-port", "43000" })
        {
            start.ArgumentList.Add(arg);
        }

        var output = new LineCapture();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => output.WriteLine(e.Data);
        process.ErrorDataReceived += (_, e) => output.WriteLine(e.Data);
        Assert.That(process.Start(), Is.True);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await _server.WaitForTopologyAsync(4, TimeSpan.FromSeconds(60));
            await output.WaitForLineAsync(l => l.Contains("packets", StringComparison.Ordinal)).Within(TimeSpan.FromSeconds(30));
            var clock = Stopwatch.StartNew();

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync().Within();
                Assert.That(kill.ExitCode, Is.Zero);
            }

            await _server.WaitForTopologyAsync(0, TimeSpan.FromSeconds(45));
            Assert.That(clock.Elapsed, Is.LessThan(Ttl), "left by deregistering, not by expiring");
            await process.WaitForExitAsync().Within(TimeSpan.FromSeconds(30));
            Assert.That(process.ExitCode, Is.Zero, output.Text);
            Assert.That(output.Text, Does.Contain("done:"));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            TestContext.Out.WriteLine(output.Text);
        }
    }

    /// <summary>
    /// simnet's own build output (tools/simnet/bin/&lt;configuration&gt;/net10.0), as the README says to run it.
    /// Not the copy next to the tests: this project runs on the ASP.NET Core shared framework, so
    /// its output lacks packages simnet needs that the framework provides here.
    /// </summary>
    private static string SimnetDll()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)); // .../bin/Debug/net10.0
        var configuration = Path.Combine("bin", output.Parent!.Name, output.Name);
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Directory.sln")))
        {
            root = root.Parent;
        }

        Assert.That(root, Is.Not.Null, "the repository root (Directory.sln) above " + AppContext.BaseDirectory);
        return Path.Combine(root!.FullName, "tools", "simnet", configuration, "simnet.dll");
    }

    /// <summary>The dotnet host running this test (set by the dotnet CLI for its children), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
