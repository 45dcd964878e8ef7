using Grpc.Core;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Abuse;

/// <summary>The per-identity metrics report rate and Directory:MaxPacketsPerSecondPerNode.</summary>
public sealed class MetricsAbuseTests
{
    [Test]
    public async Task ReportMetrics_MoreThanTheBurstAtOnce_ResourceExhaustedWithRetryAfter()
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Directory:RateLimits:MetricsReportBurst"] = "4",
            ["Directory:MetricsWindow"] = "00:01:00",
        });
        var clients = new RawClients(server.Channel);
        using var node = new TestNode();
        using var neighbour = new TestNode();
        node.LeaseToken = (await clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within()).LeaseToken;
        neighbour.LeaseToken = (await clients.Registry.RegisterNodeAsync(neighbour.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within()).LeaseToken;

        // Four back-to-back parts of one large report pass; a fifth within next_report_in does not.
        for (var i = 0; i < 4; i++)
        {
            await clients.Metrics.ReportMetricsAsync(Report(node, 1)).ResponseAsync.Within();
        }

        var ex = Assert.ThrowsAsync<RpcException>(() => clients.Metrics.ReportMetricsAsync(Report(node, 1)).ResponseAsync.Within());

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
        Assert.That(ex.Status.Detail, Does.StartWith("identity_key"));
        Assert.That(int.Parse(ex.Trailers.GetValue("retry-after")!, System.Globalization.CultureInfo.InvariantCulture), Is.InRange(1, 60));
        var other = await clients.Metrics.ReportMetricsAsync(Report(neighbour, 1)).ResponseAsync.Within();
        Assert.That(other.NextReportIn.ToTimeSpan(), Is.EqualTo(TimeSpan.FromMinutes(1)), "another identity is not limited by its neighbour");
        server.DeleteData();
    }

    [TestCase(1_000_000UL, 0UL, "sent")]
    [TestCase(0UL, 1_000_000UL, "received")]
    public async Task ReportMetrics_ClaimsMorePacketsThanTheCapAllows_InvalidArgumentNamingTheField(ulong sent, ulong received, string field)
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?> { ["Directory:MaxPacketsPerSecondPerNode"] = "1000" });
        var clients = new RawClients(server.Channel);
        using var node = new TestNode();
        node.LeaseToken = (await clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within()).LeaseToken;
        var request = Report(node, received);
        if (sent > 0)
        {
            request.Sent["127.0.0.1:9999"] = sent;
        }

        var ex = Assert.ThrowsAsync<RpcException>(() => clients.Metrics.ReportMetricsAsync(request).ResponseAsync.Within());

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Does.StartWith(field));
        Assert.That(await clients.Metrics.ReportMetricsAsync(Report(node, 0)).ResponseAsync.Within(), Is.Not.Null, "the refusal spent nothing");
        server.DeleteData();
    }

    private static ReportMetricsRequest Report(TestNode node, ulong received) =>
        new() { IdentityKey = node.IdentityKey, LeaseToken = node.LeaseToken, Received = received };
}
