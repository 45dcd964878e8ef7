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

/// <summary>Thousands of nodes stay readable: columns are paged, the filter finds any node, traffic sorts.</summary>
[TestFixture]
public sealed class DashboardScaleTests : BrowserFixture
{
    private const int PerColumn = 750;

    [Test]
    public async Task Page_ThreeThousandNodes_ColumnsPagedFilterFindsAnyAndBusiestFirst()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var server = await StartDirectoryAsync(
            new Dictionary<string, string?>
            {
                ["Directory:MetricsWindow"] = "00:00:01",
                ["Directory:TopologyBatchWindow"] = "00:00:00",

                // Every simulated node registers from 127.0.0.1; the per-address limit is not under test here.
                ["Directory:RateLimits:Enabled"] = "false",
            },
            time);
        var hub = server.Services.GetRequiredService<MetricsHub>();
        var roles = new (NodeRole Role, uint Layer)[] { (NodeRole.Mixnode, 1), (NodeRole.Mixnode, 2), (NodeRole.Mixnode, 3), (NodeRole.Gateway, 0) };
        var nodes = new List<TestNode>();
        foreach (var (role, layer) in roles)
        {
            for (var batch = 0; batch < PerColumn; batch += 50)
            {
                nodes.AddRange(await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => RegisterAsync(server, role, layer, now: time.GetUtcNow()))));
            }
        }

        // Traffic grows with the index, so the last node of each column is its busiest.
        for (var i = 0; i < nodes.Count; i++)
        {
            NodeId.TryRead(nodes[i].IdentityKey.Span, out var id);
            hub.Report(id, (ulong)(i + 1), (ulong)(i + 1));
        }

        hub.CloseWindow(time.GetUtcNow(), (uint)nodes.Count);

        await Dashboard.OpenAsync(server.WebAddress);

        await Expect(Dashboard.LiveNodes).ToHaveTextAsync("3,000", new() { Timeout = 30_000 });
        var layer1 = Dashboard.Column("layer-1");
        await Expect(layer1.Locator("li.node")).ToHaveCountAsync(200);
        await Expect(layer1.Locator(".count")).ToHaveTextAsync("750");
        await Expect(layer1.Locator("button.more")).ToHaveTextAsync("show 200 more (550 not shown)");
        await Expect(layer1.Locator("li.node").First).ToHaveAttributeAsync("data-testid", "node-" + Hex(nodes[PerColumn - 1].IdentityKey));
        await Expect(Dashboard.Column("gateways").Locator("li.node").First).ToHaveAttributeAsync("data-testid", "node-" + Hex(nodes[^1].IdentityKey));

        await layer1.Locator("button.more").ClickAsync();
        await Expect(layer1.Locator("li.node")).ToHaveCountAsync(400);

        // The quietest layer-1 node is not on screen, but the filter finds it.
        var quietest = nodes[0];
        await Expect(Dashboard.Node(quietest.IdentityKey)).ToHaveCountAsync(0);
        await Page.GetByTestId("filter").FillAsync(Hex(quietest.IdentityKey)[..16]);
        await Expect(Dashboard.AllNodes).ToHaveCountAsync(1);
        await Expect(Dashboard.Node(quietest.IdentityKey).GetByTestId("sent")).ToHaveTextAsync("↑ 1/s");
        Dashboard.AssertClean();
        nodes.ForEach(n => n.Dispose());
        server.AssertNoUnexpectedErrors();
    }
}
