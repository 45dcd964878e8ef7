using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mixnet.Directory.Server.Metrics;
using Mixnet.Directory.V1;
using static Microsoft.Playwright.Assertions;

namespace Mixnet.Directory.Tests.Browser;

/// <summary>
/// Traffic on the page. The directory runs on a fake clock, so no window closes by itself: the
/// test closes each one-second window through the hub and knows exactly what every frame holds.
/// </summary>
[TestFixture]
public sealed class DashboardMetricsTests : BrowserFixture
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Directory:MetricsWindow"] = "00:00:01",
        ["Directory:TopologyBatchWindow"] = "00:00:00",
    };

    [Test]
    public async Task Page_NodeReportsPackets_NodeRatesAndNetworkTotalsShown()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var server = await StartDirectoryAsync(Settings, time);
        var hub = server.Services.GetRequiredService<MetricsHub>();
        using var busy = await RegisterAsync(server, NodeRole.Mixnode, 1, now: time.GetUtcNow());
        using var quiet = await RegisterAsync(server, NodeRole.Gateway, now: time.GetUtcNow());
        await Dashboard.OpenAsync(server.WebAddress);
        await Dashboard.ExpectLiveAsync();

        await ReportAsync(server, busy, received: 1234, sent: 4321);
        await ReportAsync(server, quiet, received: 6, sent: 0);
        hub.CloseWindow(time.GetUtcNow(), 2);

        var row = Dashboard.Node(busy.IdentityKey);
        await Expect(row.GetByTestId("sent")).ToHaveTextAsync("↑ 4,321/s");
        await Expect(row.GetByTestId("received")).ToHaveTextAsync("↓ 1,234/s");
        await Expect(Dashboard.Node(quiet.IdentityKey).GetByTestId("received")).ToHaveTextAsync("↓ 6/s");
        await Expect(Dashboard.TotalSent).ToHaveTextAsync("4,321");
        await Expect(Dashboard.TotalReceived).ToHaveTextAsync("1,240");

        // The next window is silent: the page shows the present, not a sum.
        hub.CloseWindow(time.GetUtcNow().AddSeconds(1), 2);
        await Expect(row.GetByTestId("sent")).ToHaveTextAsync("↑ 0/s");
        await Expect(Dashboard.TotalSent).ToHaveTextAsync("0");
        Dashboard.AssertClean();
        server.AssertNoUnexpectedErrors();
    }

    [Test]
    public async Task Page_Opened_ChartFilledAtOnceFromReplayedFrames()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var server = await StartDirectoryAsync(Settings, time);
        var hub = server.Services.GetRequiredService<MetricsHub>();
        var start = time.GetUtcNow().AddMinutes(-2);
        for (var i = 0; i < 120; i++)
        {
            hub.CloseWindow(start.AddSeconds(i), 0);
        }

        await Dashboard.OpenAsync(server.WebAddress);

        // 120 one-second frames, and the page never waited two minutes for them.
        await Expect(Page.GetByTestId("chart-span")).ToHaveTextAsync("· last 2 min");
        await Expect(Page.GetByTestId("last-frame")).ToContainTextAsync("last metrics window");
        Dashboard.AssertClean();
    }
}
