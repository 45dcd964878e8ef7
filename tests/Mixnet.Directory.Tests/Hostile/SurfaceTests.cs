using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Hostile;

/// <summary>Pages and logs that carry what callers send: /docs, /metrics, log lines.</summary>
[TestFixture]
[Category("Hostile")]
public sealed class SurfaceTests
{
    private const string AdminToken = "0123456789abcdef0123";

    [Test]
    public async Task Docs_SwaggerUi_HasContentSecurityPolicy()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        using var http = new HttpClient { BaseAddress = server.WebAddress };

        using var response = await http.GetAsync(new Uri("/docs/index.html", UriKind.Relative)).Within();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.That(policy, Does.Contain("script-src 'self'").And.Contain("frame-ancestors 'none'"));
        server.DeleteData();
    }

    [Test]
    public async Task Metrics_TokenSet_401WithoutAnd200WithIt()
    {
        const string token = "prometheus-scrape-secret";
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?> { ["Directory:MetricsToken"] = token });
        using var http = new HttpClient { BaseAddress = server.WebAddress };

        using var anonymous = await http.GetAsync(new Uri("/metrics", UriKind.Relative)).Within();
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "guess-guess-guess-guess") } };
        using var wrongResponse = await http.SendAsync(wrong).Within();
        using var right = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        using var rightResponse = await http.SendAsync(right).Within();

        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(wrongResponse.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(rightResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        server.DeleteData();
    }

    [Test]
    public async Task Metrics_PortSet_OtherPorts404()
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?> { ["Directory:MetricsPort"] = "1" });
        using var http = new HttpClient { BaseAddress = server.WebAddress };

        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative)).Within();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        server.DeleteData();
    }

    [Test]
    public void Escape_BidiOverrideAndNewline_WrittenAsEscapes()
    {
        Assert.That(LogText.Escape("evil\u202Etxt.exe\nFAKE LINE"), Is.EqualTo("evil\\u202Etxt.exe\\u000AFAKE LINE"));
        Assert.That(LogText.Escape("plain reason"), Is.EqualTo("plain reason"));
    }

    [Test]
    public async Task BanNode_ReasonWithBidiOverride_AuditLineEscapesIt()
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?> { ["Directory:AdminTokens:ops"] = AdminToken });
        var admin = new AdminService.AdminServiceClient(server.Channel);
        using var node = new TestNode();

        await admin.BanNodeAsync(new BanNodeRequest { IdentityKey = node.IdentityKey, Reason = "spam \u202Egnp.exe" },
            new Metadata { { "authorization", "Bearer " + AdminToken } }).ResponseAsync.Within();

        var audit = server.Logs.Entries.Single(e => e.EventId.Id == 3001);
        Assert.That(audit.Message, Does.Contain("spam \\u202Egnp.exe"));
        Assert.That(audit.Message.Contains('\u202E', StringComparison.Ordinal), Is.False, "no raw bidi override reaches the log");
        server.DeleteData();
    }

    [Test]
    public async Task Admin_FloodOfBadTokens_LogLinesBoundedPerSecondAndOthersServed()
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?> { ["Directory:AdminTokens:ops"] = AdminToken });
        var admin = new AdminService.AdminServiceClient(server.Channel);
        var started = System.Diagnostics.Stopwatch.StartNew();

        for (var i = 0; i < 200; i++)
        {
            var ex = Assert.ThrowsAsync<RpcException>(() => admin.ListBansAsync(new ListBansRequest(), new Metadata { { "authorization", "Bearer nope" } }).ResponseAsync.Within());
            Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
        }

        var seconds = (int)Math.Ceiling(started.Elapsed.TotalSeconds) + 1;
        var refusals = server.Logs.Entries.Count(e => e.EventId.Id == 3002);
        Assert.That(refusals, Is.LessThanOrEqualTo(LogBudget.LinesPerSecond * seconds), $"at most {LogBudget.LinesPerSecond} refusal lines a second");
        Assert.That(refusals, Is.LessThan(200));
        Assert.That(server.Logs.Entries.Where(e => e.EventId.Id == 3002).All(e => e.Exception is null), Is.True);
        await Innocent.AssertServedAsync(server);
        server.DeleteData();
    }
}
