using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mixnet.Directory.Cli;
using Mixnet.Directory.Server.Metrics;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Tools;

/// <summary>-o json on every command that talks to the directory: one JSON document, or one object per line for the live ones.</summary>
[TestFixture]
public sealed class MixdirJsonOutputTests : DirectoryFixture
{
    private string _address = null!;

    [SetUp]
    public async Task SetUp()
    {
        await StartDirectoryAsync(new Dictionary<string, string?> { ["Directory:MetricsWindow"] = "01:00:00" });
        _address = Server.GrpcAddress.ToString().TrimEnd('/');
    }

    [Test]
    public async Task Info_Json_HasTheDirectoryKey()
    {
        var info = await new RawClients(Server.Channel).Topology.GetDirectoryInfoAsync(new GetDirectoryInfoRequest()).ResponseAsync.Within();

        var run = await CliRun.RunAsync("info", "-o", "json", "--directory", _address);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        Assert.That(json.RootElement.GetProperty("directory_key").GetString(), Is.EqualTo(info.DirectoryKey.Hex()));
        Assert.That(json.RootElement.GetProperty("heartbeat_interval_seconds").GetDouble(), Is.EqualTo(info.HeartbeatInterval.ToTimeSpan().TotalSeconds));
    }

    [Test]
    public async Task TopologyAndNode_Json_ListTheNode_OptionAlsoBeforeTheCommand()
    {
        using var node = await Server.RegisterAsync(NodeRole.Mixnode, 3);
        await Server.WaitForTopologyAsync(1);

        var topology = await CliRun.RunAsync("-o", "json", "topology", "--directory", _address);
        var detail = await CliRun.RunAsync("node", node.IdentityKey.Hex()[..8], "--output", "json", "--directory", _address);

        Assert.That(topology.ExitCode, Is.EqualTo(ExitCodes.Success), topology.ToString());
        using var list = JsonDocument.Parse(topology.Output);
        Assert.That(list.RootElement.GetProperty("mixnodes")[0].GetProperty("identity_key").GetString(), Is.EqualTo(node.IdentityKey.Hex()));
        Assert.That(detail.ExitCode, Is.EqualTo(ExitCodes.Success), detail.ToString());
        using var one = JsonDocument.Parse(detail.Output);
        Assert.That(one.RootElement.GetProperty("layer").GetInt32(), Is.EqualTo(3));
        Assert.That(one.RootElement.GetProperty("last_seen").GetDateTimeOffset(), Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
    }

    [Test]
    public async Task Metrics_Json_IsTheFrame()
    {
        using var node = await Server.RegisterAsync();
        await Server.WaitForTopologyAsync(1);
        var request = new ReportMetricsRequest { IdentityKey = node.IdentityKey, LeaseToken = node.LeaseToken, Received = 11 };
        request.Sent.Add("127.0.0.1:1789", 13);
        await new RawClients(Server.Channel).Metrics.ReportMetricsAsync(request).ResponseAsync.Within();
        Server.Services.GetRequiredService<MetricsHub>().CloseWindow(DateTimeOffset.UtcNow, 1);

        var run = await CliRun.RunAsync("metrics", "-o", "json", "--node", node.IdentityKey.Hex()[..8], "--directory", _address);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var row = json.RootElement.GetProperty("nodes").EnumerateArray().Single();
        Assert.That(row.GetProperty("identity_key").GetString(), Is.EqualTo(node.IdentityKey.Hex()));
        Assert.That(row.GetProperty("sent").GetUInt64(), Is.EqualTo(13));
        Assert.That(row.GetProperty("received").GetUInt64(), Is.EqualTo(11));
        Assert.That(json.RootElement.GetProperty("live_nodes").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task Watch_Json_OneObjectPerLine()
    {
        var output = new LineCapture();
        using var cancel = new CancellationTokenSource();
        var run = CliApp.RunAsync(["watch", "-o", "json", "--directory", _address], output, new LineCapture(), _ => null, cancel.Token);
        await output.WaitForLineAsync(l => l.Contains("\"snapshot\"", StringComparison.Ordinal)).Within();

        using var node = await Server.RegisterAsync(NodeRole.Gateway);
        var joined = await output.WaitForLineAsync(l => l.Contains("\"joined\"", StringComparison.Ordinal)).Within();
        await cancel.CancelAsync();

        Assert.That(await run.Within(), Is.EqualTo(ExitCodes.Success));
        var lines = output.Lines.Where(l => l.Length > 0).ToList();
        Assert.That(lines, Has.Count.GreaterThanOrEqualTo(2));
        foreach (var line in lines)
        {
            using var each = JsonDocument.Parse(line); // every line is a whole object
            Assert.That(each.RootElement.GetProperty("event").GetString(), Is.AnyOf("snapshot", "joined", "changed", "left"));
        }

        using var json = JsonDocument.Parse(joined);
        Assert.That(json.RootElement.GetProperty("identity_key").GetString(), Is.EqualTo(node.IdentityKey.Hex()));
        Assert.That(json.RootElement.GetProperty("role").GetString(), Is.EqualTo("gateway"));
    }
}
