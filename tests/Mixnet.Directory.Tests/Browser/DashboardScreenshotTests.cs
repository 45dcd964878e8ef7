using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mixnet.Directory.Server.Admin;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Hosting;
using Mixnet.Directory.Server.Keys;
using Mixnet.Directory.Server.Limits;
using Mixnet.Directory.Server.Metrics;
using Mixnet.Directory.Server.Presence;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Server.Telemetry;
using Mixnet.Directory.Server.Topology;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;
using static Microsoft.Playwright.Assertions;

namespace Mixnet.Directory.Tests.Browser;

/// <summary>
/// A dozen nodes across the layers with three minutes of traffic history, photographed on a
/// wide screen: a test artifact every run, and docs/dashboard.png (shown in the README) when
/// UPDATE_DOCS_SCREENSHOT=1 is set, so ordinary runs leave the working tree alone.
/// </summary>
[TestFixture]
public sealed class DashboardScreenshotTests : BrowserFixture
{
    private static readonly (NodeRole Role, uint Layer, string Host, string Location, string Version)[] Network =
    [
        (NodeRole.Mixnode, 1, "203.0.113.10", "Frankfurt, DE", "1.4.2"),
        (NodeRole.Mixnode, 1, "203.0.113.24", "Helsinki, FI", "1.4.2"),
        (NodeRole.Mixnode, 1, "mix1.example.net", "Toronto, CA", "1.4.1"),
        (NodeRole.Mixnode, 2, "198.51.100.7", "Amsterdam, NL", "1.4.2"),
        (NodeRole.Mixnode, 2, "198.51.100.61", "Singapore, SG", "1.4.2"),
        (NodeRole.Mixnode, 2, "2001:db8::42", "São Paulo, BR", "1.3.9"),
        (NodeRole.Mixnode, 3, "192.0.2.33", "Zürich, CH", "1.4.2"),
        (NodeRole.Mixnode, 3, "mix3.example.org", "Tokyo, JP", "1.4.2"),
        (NodeRole.Mixnode, 3, "192.0.2.90", "Oslo, NO", "1.4.0"),
        (NodeRole.Gateway, 0, "gw-paris.example.com", "Paris, FR", "1.4.2"),
        (NodeRole.Gateway, 0, "203.0.113.200", "Virginia, US", "1.4.2"),
        (NodeRole.Gateway, 0, "gw.example.au", "Sydney, AU", "1.4.1"),
    ];

    [Test]
    public async Task Page_TwelveNodesWithTraffic_ScreenshotSaved()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var server = await StartDirectoryAsync(
            new Dictionary<string, string?> { ["Directory:MetricsWindow"] = "00:00:01", ["Directory:TopologyBatchWindow"] = "00:00:00" }, time);
        var hub = server.Services.GetRequiredService<MetricsHub>();
        var nodes = new List<TestNode>();
        foreach (var (role, layer, host, location, version) in Network)
        {
            nodes.Add(await RegisterAsync(server, role, layer, d =>
            {
                d.Host = host;
                d.Location = location;
                d.Version = version;
            }, time.GetUtcNow()));
        }

        // Three minutes of one-second windows with a slow swell and per-node differences.
        var start = time.GetUtcNow().AddSeconds(-180);
        for (var second = 0; second < 180; second++)
        {
            for (var n = 0; n < nodes.Count; n++)
            {
                NodeId.TryRead(nodes[n].IdentityKey.Span, out var id);
                var level = 900 + (400 * Math.Sin((second / 25.0) + n)) + (180 * Math.Sin(second / 7.0)) + (37 * n);
                hub.Report(id, (ulong)level, (ulong)(level * 0.97));
            }

            hub.CloseWindow(start.AddSeconds(second), (uint)nodes.Count);
        }

        await Dashboard.OpenAsync(server.WebAddress);
        await Dashboard.ExpectLiveAsync();
        await Expect(Dashboard.AllNodes).ToHaveCountAsync(nodes.Count);
        await Expect(Page.GetByTestId("chart-span")).ToHaveTextAsync("· last 3 min");
        await Expect(Dashboard.TotalSent).Not.ToHaveTextAsync("—");

        var path = await SaveScreenshotAsync("dashboard");
        Assert.That(new FileInfo(path).Length, Is.GreaterThan(10_000));
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS_SCREENSHOT") == "1" && RepositoryRoot() is { } root)
        {
            var docs = Path.Combine(root, "docs");
            System.IO.Directory.CreateDirectory(docs);
            File.Copy(path, Path.Combine(docs, "dashboard.png"), overwrite: true);
        }

        Dashboard.AssertClean();
        nodes.ForEach(n => n.Dispose());
        server.AssertNoUnexpectedErrors();
    }

    private static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
