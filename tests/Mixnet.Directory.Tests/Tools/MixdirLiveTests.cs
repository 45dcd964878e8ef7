using Microsoft.Extensions.DependencyInjection;
using Mixnet.Directory.Cli;
using Mixnet.Directory.Server.Metrics;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Tools;

/// <summary>
/// mixdir metrics and watch against a real directory. Metrics windows are closed by the test through
/// the hub (the ticker's window is an hour), so frames are exact and nothing waits on the clock.
/// </summary>
[TestFixture]
public sealed class MixdirLiveTests : DirectoryFixture
{
    private MetricsHub _hub = null!;
    private string _address = null!;

    [SetUp]
    public async Task SetUp()
    {
        await StartDirectoryAsync(new Dictionary<string, string?> { ["Directory:MetricsWindow"] = "01:00:00" });
        _hub = Server.Services.GetRequiredService<MetricsHub>();
        _address = Server.GrpcAddress.ToString().TrimEnd('/');
    }

    [Test]
    public async Task Metrics_OneShot_ShowsTheReportedCountsOfTheLatestFrame()
    {
        using var node = await Server.RegisterAsync(NodeRole.Mixnode, 2);
        await Server.WaitForTopologyAsync(1); // Rows are named from the published topology.
        await Server.ReportAsync(node, received: 7, ("127.0.0.1:1789", 5));
        _hub.CloseWindow(DateTimeOffset.UtcNow, 1);

        var run = await CliRun.RunAsync("metrics", "--directory", _address);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
        Assert.That(run.Output, Does.Match(@"live nodes\s+1"));
        var row = run.Output.Split('\n').Single(l => l.Contains(KeyFingerprint.Abbreviate(node.IdentityKey.Span), StringComparison.Ordinal));
        var cells = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(cells, Does.Contain("layer").And.Contain($"127.0.0.1:{node.Descriptor.MixPort}"));
        Assert.That(cells.SkipWhile(c => !c.StartsWith("127.0.0.1:", StringComparison.Ordinal)).Skip(1).Take(2), Is.EqualTo(new[] { "5", "7" }), row);
    }

    [Test]
    public async Task Metrics_NodeFilter_ListsOnlyThatNode()
    {
        using var a = await Server.RegisterAsync();
        using var b = await Server.RegisterAsync();
        await Server.WaitForTopologyAsync(2); // --node must name a node of the published topology.
        await Server.ReportAsync(a, received: 1, ("127.0.0.1:1789", 1));
        await Server.ReportAsync(b, received: 2, ("127.0.0.1:1789", 2));
        _hub.CloseWindow(DateTimeOffset.UtcNow, 2);

        var run = await CliRun.RunAsync("metrics", "--node", a.IdentityKey.Hex(), "--directory", _address);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
        Assert.That(run.Output, Does.Contain(KeyFingerprint.Abbreviate(a.IdentityKey.Span)));
        Assert.That(run.Output, Does.Not.Contain(KeyFingerprint.Abbreviate(b.IdentityKey.Span)));
    }

    [Test]
    public async Task MetricsFollow_PrintsEachFrame_AndCtrlCExitsZero()
    {
        using var node = await Server.RegisterAsync();
        var output = new LineCapture();
        using var cancel = new CancellationTokenSource();
        var run = CliApp.RunAsync(["metrics", "--follow", "--directory", _address], output, new LineCapture(), _ => null, cancel.Token);
        await Server.WaitForSubscribersAsync(1);

        await Server.ReportAsync(node, received: 40, ("127.0.0.1:1789", 30));
        _hub.CloseWindow(DateTimeOffset.UtcNow, 1);
        var row = await output.WaitForLineAsync(l => l.Contains(KeyFingerprint.Abbreviate(node.IdentityKey.Span), StringComparison.Ordinal)).Within();
        await cancel.CancelAsync();

        Assert.That(await run.Within(), Is.EqualTo(ExitCodes.Success));
        Assert.That(row, Does.Contain("30").And.Contain("40"));
        Assert.That(output.Text, Does.Match(@"packets/s sent\s+\S+"));
        Assert.That(output.Text, Does.Match(@"dropped frames\s+0"));
    }

    [Test]
    public async Task Watch_PrintsJoinedAndLeft_AndCtrlCExitsZero()
    {
        var output = new LineCapture();
        using var cancel = new CancellationTokenSource();
        var run = CliApp.RunAsync(["watch", "--directory", _address], output, new LineCapture(), _ => null, cancel.Token);
        await output.WaitForLineAsync(l => l.Contains("snapshot", StringComparison.Ordinal)).Within();

        var node = await Server.RegisterAsync(NodeRole.Gateway);
        var id = KeyFingerprint.Abbreviate(node.IdentityKey.Span);
        var joined = await output.WaitForLineAsync(l => l.Contains("joined", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal)).Within();
        await Server.DeregisterAsync(node);
        var left = await output.WaitForLineAsync(l => l.Contains("left", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal)).Within();
        await cancel.CancelAsync();

        Assert.That(await run.Within(), Is.EqualTo(ExitCodes.Success));
        Assert.That(joined, Does.Contain("gateway").And.Contain($"127.0.0.1:{node.Descriptor.MixPort}").And.Match(@" v\d+ "));
        Assert.That(left, Does.Contain(id));
        node.Dispose();
    }
}
