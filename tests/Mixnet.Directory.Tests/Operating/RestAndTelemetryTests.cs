using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Operating;

/// <summary>The JSON routes and their OpenAPI document, the Prometheus endpoint, and graceful shutdown.</summary>
[TestFixture]
[NonParallelizable] // OpenTelemetry listens to the Mixnet.Directory meter by name, process-wide: another fixture's directory would add its own live_nodes series.
public sealed class RestAndTelemetryTests
{
    [Test]
    public async Task OpenApi_Document_ListsEveryRoute()
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?> { ["Directory:AdminTokens:ops"] = "0123456789abcdef0123" });
        using var http = new HttpClient { BaseAddress = server.WebAddress };

        using var doc = JsonDocument.Parse(await http.GetStringAsync("/swagger/v1/swagger.json").Within());
        var paths = doc.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        Assert.That(paths, Is.SupersetOf(new[]
        {
            "/v1/nodes:register", "/v1/nodes:lookup", "/v1/nodes:heartbeat", "/v1/nodes:deregister",
            "/v1/directory", "/v1/topology", "/v1/topology:watch", "/v1/admin/bans", "/v1/admin/bans:unban",
        }));
        var docsPage = await http.GetAsync("/docs/index.html").Within();
        Assert.That(docsPage.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        server.DeleteData();
    }

    [Test]
    public async Task Json_RegisterThenHeartbeat_RoundTripsWithPlainHttpClient()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        using var http = new HttpClient { BaseAddress = server.WebAddress };
        using var node = new TestNode();
        var request = node.RegisterRequest(DateTimeOffset.UtcNow);

        var registered = await http.PostAsJsonAsync("/v1/nodes:register", new
        {
            descriptor = Convert.ToBase64String(request.Descriptor_.ToByteArray()),
            signature = Convert.ToBase64String(request.Signature.ToByteArray()),
        }).Within();
        Assert.That(registered.StatusCode, Is.EqualTo(HttpStatusCode.OK), await registered.Content.ReadAsStringAsync());
        using var lease = JsonDocument.Parse(await registered.Content.ReadAsStringAsync());
        var token = lease.RootElement.GetProperty("leaseToken").GetString();
        Assert.That(Convert.FromBase64String(token!), Has.Length.EqualTo(32));

        // Bytes travel as base64 in JSON bodies and (URL-encoded) query strings, never in paths.
        var id = Convert.ToBase64String(node.IdentityKey.ToByteArray());
        var beat = await http.PostAsJsonAsync("/v1/nodes:heartbeat", new { identityKey = id, leaseToken = token }).Within();
        Assert.That(beat.StatusCode, Is.EqualTo(HttpStatusCode.OK), await beat.Content.ReadAsStringAsync());
        using var beatJson = JsonDocument.Parse(await beat.Content.ReadAsStringAsync());
        Assert.That(beatJson.RootElement.GetProperty("ttl").GetString(), Is.EqualTo("20s"));

        var found = await http.GetAsync("/v1/nodes:lookup?identityKey=" + Uri.EscapeDataString(id)).Within();
        Assert.That(found.StatusCode, Is.EqualTo(HttpStatusCode.OK), await found.Content.ReadAsStringAsync());
        using var foundJson = JsonDocument.Parse(await found.Content.ReadAsStringAsync());
        Assert.That(foundJson.RootElement.GetProperty("descriptor").GetProperty("host").GetString(), Is.EqualTo("127.0.0.1"));
        var wrong = await http.PostAsJsonAsync("/v1/nodes:heartbeat", new { identityKey = id, leaseToken = Convert.ToBase64String(new byte[32]) }).Within();
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "gRPC status codes map to HTTP ones");
        server.AssertNoUnexpectedErrors();
        server.DeleteData();
    }

    [Test]
    public async Task Prometheus_AfterTraffic_ExportsDirectoryCounters()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        var clients = new RawClients(server.Channel);
        using var node = new TestNode(NodeRole.Mixnode, layer: 2);
        node.LeaseToken = (await clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within()).LeaseToken;
        await clients.Presence.HeartbeatAsync(node.HeartbeatRequest()).ResponseAsync.Within();
        using var http = new HttpClient { BaseAddress = server.WebAddress };

        var text = await http.GetStringAsync("/metrics").Within();

        Assert.That(text, Does.Contain("mixnet_directory_heartbeats_total"));
        Assert.That(text, Does.Contain("mixnet_directory_registrations_total"));
        Assert.That(text, Does.Match(@"mixnet_directory_live_nodes\{[^}]*layer=""2""[^}]*role=""mixnode""[^}]*\} 1"));
        server.DeleteData();
    }

    [Test]
    public async Task Prometheus_RefusalsOnEveryPath_CountedOnceUnderOneSpellingOfTheirCode()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        var clients = new RawClients(server.Channel);
        using var stranger = new TestNode { LeaseToken = Google.Protobuf.ByteString.CopyFrom(new byte[32]) };
        using var raw = new Hostile.RawGrpc(server.GrpcAddress);
        using var http = new HttpClient { BaseAddress = server.WebAddress };

        // gRPC: two unknown nodes heartbeat (NOT_FOUND), one frame with a bad compressed flag
        // (refused before grpc-dotnet reads it), and one REST heartbeat with an oversized body.
        Assert.ThrowsAsync<Grpc.Core.RpcException>(() => clients.Presence.HeartbeatAsync(stranger.HeartbeatRequest()).ResponseAsync.Within());
        Assert.ThrowsAsync<Grpc.Core.RpcException>(() => clients.Presence.HeartbeatAsync(stranger.HeartbeatRequest()).ResponseAsync.Within());
        var (status, _) = await raw.CallAsync("/mixnet.directory.v1.PresenceService/Heartbeat", Hostile.RawGrpc.Frame([0x0A, 0x00], flag: 2)).Within();
        using var oversized = new StringContent("{\"identity_key\":\"" + new string('A', 64 * 1024) + "\"}", System.Text.Encoding.UTF8, "application/json");
        var rest = await http.PostAsync("/v1/nodes:heartbeat", oversized).Within();

        var text = await http.GetStringAsync("/metrics").Within();

        Assert.That((Grpc.Core.StatusCode)status, Is.EqualTo(Grpc.Core.StatusCode.InvalidArgument));
        Assert.That(rest.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(text, Does.Match(@"(?m)^mixnet_directory_rejections_total\{[^}]*code=""not_found""[^}]*\} 2( |$)"));
        Assert.That(text, Does.Match(@"(?m)^mixnet_directory_rejections_total\{[^}]*code=""invalid_argument""[^}]*\} 1( |$)"));
        Assert.That(text, Does.Match(@"(?m)^mixnet_directory_rejections_total\{[^}]*code=""resource_exhausted""[^}]*\} 1( |$)"));
        Assert.That(text, Does.Not.Match(@"code=""[A-Z]"), "every code is spelled snake_case");
        server.DeleteData();
    }

    [Test]
    public async Task Prometheus_MetricsReplay_ReportsFramesKeptAndThoseWithNodeDetail()
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?> { ["Directory:MetricsReplayDetailFrames"] = "2", ["Directory:MetricsWindow"] = "01:00:00" });
        var hub = server.Services.GetRequiredService<Server.Metrics.MetricsHub>();
        for (var i = 0; i < 4; i++)
        {
            hub.CloseWindow(DateTimeOffset.UtcNow, 0);
        }

        using var http = new HttpClient { BaseAddress = server.WebAddress };
        var text = await http.GetStringAsync("/metrics").Within();

        Assert.That(text, Does.Match(@"(?m)^mixnet_directory_metrics_replay_frames\{[^}]*detail=""totals""[^}]*\} 4( |$)"));
        Assert.That(text, Does.Match(@"(?m)^mixnet_directory_metrics_replay_frames\{[^}]*detail=""nodes""[^}]*\} 2( |$)"));
        server.DeleteData();
    }

    [Test]
    public async Task Prometheus_AfterMetricsReports_CountsNetworkPacketsUnderTheServiceName()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        var clients = new RawClients(server.Channel);
        using var first = new TestNode(NodeRole.Mixnode, layer: 1);
        using var second = new TestNode(NodeRole.Gateway);
        foreach (var node in new[] { first, second })
        {
            node.LeaseToken = (await clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within()).LeaseToken;
        }

        var report = new ReportMetricsRequest { IdentityKey = first.IdentityKey, LeaseToken = first.LeaseToken, Received = 700 };
        report.Sent.Add("198.51.100.1:1789", 400);
        report.Sent.Add("198.51.100.2:1789", 35);
        await clients.Metrics.ReportMetricsAsync(report).ResponseAsync.Within();
        report = new ReportMetricsRequest { IdentityKey = second.IdentityKey, LeaseToken = second.LeaseToken, Received = 11 };
        report.Sent.Add("198.51.100.3:1789", 9);
        await clients.Metrics.ReportMetricsAsync(report).ResponseAsync.Within();

        // Refused: no lease token. Nothing it carries may be counted.
        var refused = new ReportMetricsRequest { IdentityKey = first.IdentityKey, Received = 100_000 };
        refused.Sent.Add("198.51.100.1:1789", 100_000);
        Assert.ThrowsAsync<Grpc.Core.RpcException>(() => clients.Metrics.ReportMetricsAsync(refused).ResponseAsync.Within());
        using var http = new HttpClient { BaseAddress = server.WebAddress };

        var text = await http.GetStringAsync("/metrics").Within();

        Assert.That(text, Does.Match(@"(?m)^mixnet_directory_network_packets_sent_total(\{[^}]*\})? 444( |$)"));
        Assert.That(text, Does.Match(@"(?m)^mixnet_directory_network_packets_received_total(\{[^}]*\})? 711( |$)"));
        Assert.That(text, Does.Contain("service_name=\"mixnet-directory\""));
        Assert.That(text, Does.Not.Contain("unknown_service"));
        server.DeleteData();
    }

    [Test]
    public async Task Shutdown_WithDrain_ReportsNotServingWhileStillRenewingLeases()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?> { ["Directory:ShutdownDrain"] = "00:00:10" }, time);
        var clients = new RawClients(server.Channel);
        var health = new Health.HealthClient(server.Channel);
        using var node = new TestNode();
        node.LeaseToken = (await clients.Registry.RegisterNodeAsync(node.RegisterRequest(time.GetUtcNow())).ResponseAsync.Within()).LeaseToken;

        // NOT_SERVING during a drain is the point, and no error is logged for it (the teardown checks the log).
        var draining = server.Logs.WaitFor(e => e.Category.EndsWith(".ShutdownDrain", StringComparison.Ordinal) && e.Message.StartsWith("Draining", StringComparison.Ordinal));
        var stopping = server.StopAsync();
        await draining.Within();
        var status = await health.CheckAsync(new HealthCheckRequest()).ResponseAsync.Within();
        var beat = await clients.Presence.HeartbeatAsync(node.HeartbeatRequest()).ResponseAsync.Within();
        time.Advance(TimeSpan.FromSeconds(10));
        await stopping.Within();

        Assert.That(status.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.NotServing));
        Assert.That(beat.Ttl, Is.Not.Null, "nodes keep their leases during the drain, so none is told to re-register");
        await server.DisposeAsync();
        server.DeleteData();
    }
}
