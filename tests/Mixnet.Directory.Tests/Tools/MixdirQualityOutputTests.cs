using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mixnet.Directory.Cli;
using Mixnet.Directory.Server.Quality;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Tools;

/// <summary>
/// The directory's quality scores in <c>mixdir topology|node</c>: a <c>"quality"</c> object beside
/// each node's fields (null before it is scored), and a reliability column. Periods are closed by the test.
/// </summary>
[TestFixture]
public sealed class MixdirQualityOutputTests : DirectoryFixture
{
    private string _address = null!;

    [SetUp]
    public async Task SetUp()
    {
        await StartDirectoryAsync(new Dictionary<string, string?> { ["Directory:Quality:Period"] = "01:00:00", ["Directory:Quality:Window"] = "02:00:00", ["Directory:Quality:PriorWeight"] = "0" });
        _address = Server.GrpcAddress.ToString().TrimEnd('/');
    }

    [Test]
    public async Task TopologyNodeAndTable_ShowTheScores_NullBeforeANodeIsScored()
    {
        using var a = await Server.RegisterAsync(NodeRole.Mixnode, 1);
        using var b = await Server.RegisterAsync(NodeRole.Mixnode, 2);
        // a sent b 1000 packets and b confirms them; b forwarded only half: reliability 1, and b's the
        // forwarding score of a half-dropper (no prior: the first period counts whole).
        var half = Math.Round(LinkJudge.ForwardingScore(0.5, new QualityOptions()), 3);
        await ReportAsync(a, new ReportMetricsRequest { Received = 1000, Sent = { [Hop(b)] = 1000 } });
        await ReportAsync(b, new ReportMetricsRequest { Received = 1000, Sent = { ["198.51.100.1:1"] = 500 }, ReceivedFrom = { [Hop(a)] = 1000 } });
        Server.Services.GetRequiredService<QualityTracker>().Tick();
        using var unscored = await Server.RegisterAsync(NodeRole.Mixnode, 3);

        var topology = await CliRun.RunAsync("topology", "-o", "json", "--directory", _address);
        var node = await CliRun.RunAsync("node", b.IdentityKey.Hex(), "-o", "json", "--directory", _address);
        var table = await CliRun.RunAsync("topology", "--directory", _address);

        Assert.That(topology.ExitCode, Is.EqualTo(ExitCodes.Success), topology.ToString());
        using var list = JsonDocument.Parse(topology.Output);
        var byKey = list.RootElement.GetProperty("mixnodes").EnumerateArray().ToDictionary(n => n.GetProperty("identity_key").GetString()!, n => n.GetProperty("quality"));
        Assert.That(byKey[a.IdentityKey.Hex()].GetProperty("reliability").GetDouble(), Is.EqualTo(1));
        Assert.That(byKey[b.IdentityKey.Hex()].GetProperty("reliability").GetDouble(), Is.EqualTo(half));
        Assert.That(byKey[b.IdentityKey.Hex()].GetProperty("reliability_24h").GetDouble(), Is.EqualTo(half));
        Assert.That(byKey[b.IdentityKey.Hex()].GetProperty("uptime").GetDouble(), Is.EqualTo(1));
        Assert.That(byKey[b.IdentityKey.Hex()].GetProperty("excluded").GetBoolean(), Is.False);
        Assert.That(byKey[unscored.IdentityKey.Hex()].ValueKind, Is.EqualTo(JsonValueKind.Null), "not scored yet");

        Assert.That(node.ExitCode, Is.EqualTo(ExitCodes.Success), node.ToString());
        using var one = JsonDocument.Parse(node.Output);
        Assert.That(one.RootElement.GetProperty("layer").GetInt32(), Is.EqualTo(2), "the quality sits beside the existing fields");
        Assert.That(one.RootElement.GetProperty("quality").GetProperty("reliability").GetDouble(), Is.EqualTo(half));

        Assert.That(table.ExitCode, Is.EqualTo(ExitCodes.Success), table.ToString());
        Assert.That(table.Output, Does.Contain("reliability"));
        Assert.That(Row(table.Output, b), Does.Contain(half.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(Row(table.Output, a), Does.Contain("1.000"));
    }

    private static string Row(string table, TestNode node) =>
        table.Split('\n').Single(l => l.Contains(node.IdentityKey.Hex()[..8], StringComparison.Ordinal));

    private static string Hop(TestNode node) => $"{node.Descriptor.Host}:{node.Descriptor.MixPort}";

    private async Task ReportAsync(TestNode node, ReportMetricsRequest request)
    {
        request.IdentityKey = node.IdentityKey;
        request.LeaseToken = node.LeaseToken;
        await Clients.Metrics.ReportMetricsAsync(request).ResponseAsync.Within();
    }
}
