using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Server.Metrics;
using Mixnet.Directory.V1;
using static Microsoft.Playwright.Assertions;

namespace Mixnet.Directory.Tests.Browser;

/// <summary>The network chart keeps both lines visible when they coincide, and says which is which.</summary>
[TestFixture]
public sealed class DashboardChartTests : BrowserFixture
{
    // The chart's stroke colours (dashboard/src/chart.ts).
    private static readonly (int R, int G, int B) Sent = (0x4f, 0xd1, 0xc5);
    private static readonly (int R, int G, int B) Received = (0xf6, 0xad, 0x55);

    [Test]
    public async Task Chart_SentEqualsReceived_BothLinesVisibleAndLegendMatches()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var server = await StartDirectoryAsync(
            new Dictionary<string, string?> { ["Directory:MetricsWindow"] = "00:00:01", ["Directory:TopologyBatchWindow"] = "00:00:00" }, time);
        var hub = server.Services.GetRequiredService<MetricsHub>();
        using var node = await RegisterAsync(server, NodeRole.Mixnode, 1, now: time.GetUtcNow());
        NodeId.TryRead(node.IdentityKey.Span, out var id);
        var start = time.GetUtcNow().AddSeconds(-60);
        for (var second = 0; second < 60; second++)
        {
            // Every packet sent is received: the two series are identical.
            var packets = (ulong)(800 + (300 * Math.Sin(second / 6.0)));
            hub.Report(id, packets, packets);
            hub.CloseWindow(start.AddSeconds(second), 1);
        }

        await Dashboard.OpenAsync(server.WebAddress);
        await Expect(Page.GetByTestId("chart-span")).ToHaveTextAsync("· last 60 s");

        var counts = await Page.EvaluateAsync<int[]>(
            """
            ([sent, received]) => {
              const canvas = document.querySelector('[data-testid="traffic-chart"]');
              const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
              const near = (i, c) => Math.abs(data[i] - c[0]) + Math.abs(data[i + 1] - c[1]) + Math.abs(data[i + 2] - c[2]) < 40 && data[i + 3] > 200;
              let s = 0, r = 0;
              for (let i = 0; i < data.length; i += 4) { if (near(i, sent)) s++; if (near(i, received)) r++; }
              return [s, r];
            }
            """,
            new[] { new[] { Sent.R, Sent.G, Sent.B }, new[] { Received.R, Received.G, Received.B } });

        // Each line crosses most of the plot's width: hundreds of pixels each, neither hidden by the other.
        Assert.That(counts[0], Is.GreaterThan(300), "sent line pixels");
        Assert.That(counts[1], Is.GreaterThan(300), "received line pixels");
        await Expect(Page.GetByTestId("chart-legend")).ToContainTextAsync("sent");
        await Expect(Page.GetByTestId("chart-legend")).ToContainTextAsync("received");
        Assert.That(await BorderStyleAsync("legend-sent"), Is.EqualTo("solid"));
        Assert.That(await BorderStyleAsync("legend-received"), Is.EqualTo("dashed"), "the legend draws received as the chart does");
        Dashboard.AssertClean();
        server.AssertNoUnexpectedErrors();
    }

    private Task<string> BorderStyleAsync(string testId) =>
        Page.GetByTestId(testId).EvaluateAsync<string>("el => getComputedStyle(el).borderTopStyle");
}
