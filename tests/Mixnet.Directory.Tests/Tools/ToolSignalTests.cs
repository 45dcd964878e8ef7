using System.Diagnostics;
using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.Tools;

/// <summary>
/// The tools as real processes: SIGTERM (what kill, docker stop and systemd send) shuts them down
/// as cleanly as Ctrl+C. simnet's nodes deregister and leave the topology at once rather than after
/// the TTL; mixdir's live views end with exit 0.
/// </summary>
[TestFixture]
[Platform(Exclude = "Win", Reason = "POSIX signals")]
public sealed class ToolSignalTests : DirectoryFixture
{
    // Much longer than the test waits: a node that leaves in time was deregistered, not expired.
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(2);


    [SetUp]
    public async Task SetUp()
    {
        await StartDirectoryAsync(new Dictionary<string, string?>
        {
            ["Directory:MetricsWindow"] = "00:00:00.100",
            ["Directory:HeartbeatInterval"] = "00:00:00.500",
            ["Directory:PresenceTtl"] = Ttl.ToString(),
        });
    }

    [Test]
    public async Task Simnet_Sigterm_DeregistersEveryNode_AndExitsZero()
    {
        var output = new LineCapture();
        using var process = StartTool("simnet", output, "--directory", Server.GrpcAddress.ToString(), "--mixnodes", "3", "--gateways", "1", "--rate", "50", "--status", "1s", "--base-port", "43000");
        try
        {
            await Server.WaitForTopologyAsync(4, TimeSpan.FromSeconds(60));
            await output.WaitForLineAsync(l => l.Contains("packets", StringComparison.Ordinal)).Within(TimeSpan.FromSeconds(30));
            var clock = Stopwatch.StartNew();

            await SigtermAsync(process);

            await Server.WaitForTopologyAsync(0, TimeSpan.FromSeconds(45));
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

    [Test]
    public async Task MixdirWatch_Sigterm_ExitsZero()
    {
        var output = new LineCapture();
        using var process = StartTool("mixdir", output, "watch", "--directory", Server.GrpcAddress.ToString());
        try
        {
            await output.WaitForLineAsync(l => l.Contains("snapshot", StringComparison.Ordinal)).Within(TimeSpan.FromSeconds(30));

            await SigtermAsync(process);

            await process.WaitForExitAsync().Within(TimeSpan.FromSeconds(30));
            Assert.That(process.ExitCode, Is.Zero, output.Text);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    /// <summary>Starts a tool's built program (through the dotnet host) with stdout and stderr going to <paramref name="output"/>.</summary>
    private static Process StartTool(string tool, LineCapture output, params string[] args)
    {
        var dll = ToolPaths.ToolDll(tool);
        Assert.That(File.Exists(dll), Is.True, $"{tool} is built: {dll}");
        return ToolPaths.Start(ToolPaths.DotnetHost, output, [dll, .. args]);
    }

    internal static async Task SigtermAsync(Process process)
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync().Within();
        Assert.That(kill.ExitCode, Is.Zero);
    }
}
