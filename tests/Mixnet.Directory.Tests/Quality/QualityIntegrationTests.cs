using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Mixnet.Directory.Server.Quality;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Quality;

/// <summary>
/// Quality over a real Kestrel: reports with <c>received_from</c> in, scores out through GetNode,
/// REST and the signed topology. Periods are closed by the test (the loop's period is an hour).
/// </summary>
[TestFixture]
public sealed class QualityIntegrationTests : DirectoryFixture
{
    private QualityTracker _tracker = null!;

    [SetUp]
    public async Task SetUp()
    {
        await StartDirectoryAsync(new Dictionary<string, string?> { ["Directory:Quality:Period"] = "01:00:00", ["Directory:Quality:Window"] = "02:00:00", ["Directory:Quality:PriorWeight"] = "0" });
        _tracker = Server.Services.GetRequiredService<QualityTracker>();
    }

    [TestCase("key")]
    [TestCase("count")]
    [TestCase("too_many_hops")]
    public async Task ReportMetrics_BadReceivedFrom_InvalidArgumentNamingItAndNothingCounted(string broken)
    {
        using var node = await RegisterAsync(1);
        var request = new ReportMetricsRequest { IdentityKey = node.IdentityKey, LeaseToken = node.LeaseToken, Received = 500 };
        switch (broken)
        {
            case "key": request.ReceivedFrom.Add(new string('x', 300), 1); break;
            case "count": request.ReceivedFrom.Add("h:1", ulong.MaxValue); break;
            default:
                for (var i = 0; i < 1025; i++)
                {
                    request.ReceivedFrom.Add($"h{i}:1", 1);
                }

                break;
        }

        var ex = Assert.ThrowsAsync<RpcException>(() => Clients.Metrics.ReportMetricsAsync(request).ResponseAsync.Within());

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Does.StartWith("received_from"));
        NodeId.TryRead(node.IdentityKey.Span, out var id);
        Assert.That(_tracker.Tick()[id].Forwarding, Is.Null, "the refused report's 500 packets were not counted");
    }

    [Test]
    public async Task Quality_AfterAPeriod_InGetNodeRestAndSignedTopology()
    {
        using var a = await RegisterAsync(1);
        using var b = await RegisterAsync(2);
        var before = (await Clients.Topology.GetTopologyAsync(new GetTopologyRequest()).ResponseAsync.Within()).Topology;

        // A old-style report (no received_from) is still accepted.
        await ReportAsync(a, 1000, sent: [(Hop(b), 1000)]);
        // b admits forwarding only half, and names its previous hop in upper case (canonicalized).
        await ReportAsync(b, 1000, sent: [("198.51.100.1:1", 500)], receivedFrom: [(Hop(a).ToUpperInvariant(), 1000)]);
        _tracker.Tick();
        var halfForwarded = Math.Round(LinkJudge.ForwardingScore(0.5, new QualityOptions()), 3); // no prior here: the first period counts whole

        var node = await Clients.Registry.GetNodeAsync(new GetNodeRequest { IdentityKey = b.IdentityKey }).ResponseAsync.Within();
        using var http = new HttpClient { BaseAddress = Server.WebAddress };
        var json = await http.GetFromJsonAsync<JsonElement>("/v1/nodes:lookup?identityKey=" + Uri.EscapeDataString(b.IdentityKey.ToBase64())).Within();
        var after = (await Clients.Topology.GetTopologyAsync(new GetTopologyRequest()).ResponseAsync.Within()).Topology;
        var snapshot = TopologySnapshot.Parser.ParseFrom(after.Topology);
        Assert.Multiple(() =>
        {
            Assert.That(node.Quality.Reliability, Is.EqualTo(halfForwarded));
            Assert.That(node.Quality.Uptime, Is.EqualTo(1));
            Assert.That(node.Quality.Excluded, Is.False);
            Assert.That(json.GetProperty("quality").GetProperty("reliability").GetDouble(), Is.EqualTo(halfForwarded));
            Assert.That(json.GetProperty("quality").GetProperty("reliability24h").GetDouble(), Is.EqualTo(halfForwarded));
            Assert.That(snapshot.Version, Is.GreaterThan(TopologySnapshot.Parser.ParseFrom(before.Topology).Version));
            Assert.That(snapshot.Quality.Single(q => q.IdentityKey == b.IdentityKey).Reliability, Is.EqualTo(halfForwarded));
            Assert.That(snapshot.Quality.Single(q => q.IdentityKey == a.IdentityKey).Reliability, Is.EqualTo(1));
        });
    }

    private static string Hop(TestNode node) => $"{node.Descriptor.Host}:{node.Descriptor.MixPort}";

    private async Task<TestNode> RegisterAsync(uint layer)
    {
        var node = new TestNode(NodeRole.Mixnode, layer);
        var lease = await Clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();
        node.LeaseToken = lease.LeaseToken;
        return node;
    }

    private async Task ReportAsync(TestNode node, ulong received, (string Hop, ulong Count)[] sent, (string Hop, ulong Count)[]? receivedFrom = null)
    {
        var request = new ReportMetricsRequest { IdentityKey = node.IdentityKey, LeaseToken = node.LeaseToken, Received = received };
        foreach (var (hop, count) in sent)
        {
            request.Sent.Add(hop, count);
        }

        foreach (var (hop, count) in receivedFrom ?? [])
        {
            request.ReceivedFrom.Add(hop, count);
        }

        await Clients.Metrics.ReportMetricsAsync(request).ResponseAsync.Within();
    }
}
