using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mixnet.Directory.Server.Metrics;
using Mixnet.Directory.Server.Topology;
using Mixnet.Directory.V1;
using static Microsoft.Playwright.Assertions;

namespace Mixnet.Directory.Tests.Browser;

/// <summary>
/// Many tabs of one browser over cleartext HTTP/1.1, where a browser opens at most six
/// connections to a host: one tab holds the two streams and relays to the others, and another
/// takes over when it closes.
/// </summary>
[TestFixture]
public sealed class DashboardTabsTests : BrowserFixture
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Directory:MetricsWindow"] = "00:00:01",
        ["Directory:TopologyBatchWindow"] = "00:00:00",
    };

    [Test]
    public Task SixTabs_WebLocks_AllLiveAndLeaderHandsOver() => SixTabsStayLiveAsync(tabs: 6, withoutWebLocks: false);

    [Test]
    public Task ThreeTabs_NoWebLocks_HeartbeatElectionHandsOver() => SixTabsStayLiveAsync(tabs: 3, withoutWebLocks: true);

    private async Task SixTabsStayLiveAsync(int tabs, bool withoutWebLocks)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var server = await StartDirectoryAsync(Settings, time);
        var hub = server.Services.GetRequiredService<MetricsHub>();
        var publisher = server.Services.GetRequiredService<TopologyPublisher>();
        if (withoutWebLocks)
        {
            // As on a plain-http LAN address, which is not a secure context: no navigator.locks.
            await Page.Context.AddInitScriptAsync("Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined })");
        }

        using var first = await RegisterAsync(server, NodeRole.Mixnode, 1, now: time.GetUtcNow());
        var pages = new List<DashboardPage> { Dashboard };
        for (var i = 1; i < tabs; i++)
        {
            pages.Add(new DashboardPage(await Page.Context.NewPageAsync()));
        }

        foreach (var page in pages)
        {
            await page.OpenAsync(server.WebAddress);
            await page.ExpectLiveAsync();
            await Expect(page.Node(first.IdentityKey)).ToBeVisibleAsync();
        }

        // Live: a node joins and traffic flows; every tab shows both.
        using var joins = await RegisterAsync(server, NodeRole.Mixnode, 2, now: time.GetUtcNow());
        await ReportAsync(server, joins, received: 250, sent: 500);
        hub.CloseWindow(time.GetUtcNow(), 2);
        foreach (var page in pages)
        {
            await Expect(page.Node(joins.IdentityKey).GetByTestId("sent")).ToHaveTextAsync("↑ 500/s");
            await Expect(page.TotalReceived).ToHaveTextAsync("250");
        }

        var leader = await SingleLeaderAsync(pages, withoutWebLocks ? "broadcast" : "web-locks");
        Assert.That(publisher.WatcherCount, Is.EqualTo(1), "one topology watch for all the tabs");
        Assert.That(hub.SubscriberCount, Is.EqualTo(1), "one metrics stream for all the tabs");

        // The leader closes: another tab takes over the connection and every tab stays live.
        await leader.Page.CloseAsync();
        pages.Remove(leader);
        using var later = await RegisterAsync(server, NodeRole.Gateway, now: time.GetUtcNow());
        await ReportAsync(server, later, received: 40, sent: 30);
        hub.CloseWindow(time.GetUtcNow().AddSeconds(1), 3);
        foreach (var page in pages)
        {
            await Expect(page.Node(later.IdentityKey).GetByTestId("received")).ToHaveTextAsync("↓ 40/s", new() { Timeout = 30_000 });
            await Expect(page.ConnectionState).ToHaveAttributeAsync("data-state", "live");
            await Expect(page.VerifyError).ToBeHiddenAsync();
            page.AssertClean();
        }

        await SingleLeaderAsync(pages, withoutWebLocks ? "broadcast" : "web-locks");
        server.AssertNoUnexpectedErrors();
    }

    /// <summary>The one tab that says it holds the connection (called once every tab shows live data, so roles are settled).</summary>
    private static async Task<DashboardPage> SingleLeaderAsync(IReadOnlyList<DashboardPage> pages, string election)
    {
        var leaders = new List<DashboardPage>();
        foreach (var page in pages)
        {
            var role = await page.Page.GetByTestId("tab-role").GetAttributeAsync("data-role");
            Assert.That(role, Is.AnyOf("leader", "follower"));
            if (role == "leader")
            {
                leaders.Add(page);
            }
        }

        Assert.That(leaders, Has.Count.EqualTo(1), "exactly one tab holds the connection");
        await Expect(leaders[0].Page.GetByTestId("tab-role")).ToHaveAttributeAsync("data-election", election);
        return leaders[0];
    }
}
