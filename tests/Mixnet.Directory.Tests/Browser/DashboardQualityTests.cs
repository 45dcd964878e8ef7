using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Mixnet.Directory.Server.Quality;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Server.Topology;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;
using static Microsoft.Playwright.Assertions;

namespace Mixnet.Directory.Tests.Browser;

/// <summary>
/// Quality in the dashboard: the reliability badge and the sort follow what the signed topology
/// carries (seeded straight into the membership, as the quality loop publishes it), and the node
/// view draws the per-period history GetNode returns (the last Window / Period = 3 periods). The
/// loop's own period is 20 minutes, so only the test publishes.
/// </summary>
[TestFixture]
public sealed class DashboardQualityTests : BrowserFixture
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Directory:Quality:Period"] = "00:20:00",
        ["Directory:Quality:Window"] = "01:00:00",
        ["Directory:TopologyBatchWindow"] = "00:00:00",
    };

    [Test]
    public async Task Badges_AndSortByReliability_FollowPublishedScores_AndDeltas()
    {
        var server = await StartDirectoryAsync(Settings);
        using var good = await RegisterAsync(server, NodeRole.Mixnode, 1);
        using var low = await RegisterAsync(server, NodeRole.Mixnode, 1);
        using var excluded = await RegisterAsync(server, NodeRole.Mixnode, 1);
        using var unscored = await RegisterAsync(server, NodeRole.Mixnode, 1);
        var membership = server.Services.GetRequiredService<Membership>();
        membership.SetQuality(Table((good, 0.93, false), (low, 0.42, false), (excluded, 0.97, true)));

        await Dashboard.OpenAsync(server.WebAddress);
        await Dashboard.ExpectLiveAsync();
        await ExpectBadge(good, "93 %", "good");
        await ExpectBadge(low, "42 %", "low");
        await ExpectBadge(excluded, "97 %", "good");
        await ExpectBadge(unscored, "—", "none");
        await Expect(Dashboard.Node(excluded.IdentityKey).GetByTestId("excluded")).ToBeVisibleAsync();
        await Expect(Dashboard.Node(good.IdentityKey).GetByTestId("excluded")).ToBeHiddenAsync();

        // Most reliable first, then nodes not scored yet, excluded ones last whatever their score.
        await Page.GetByTestId("sort").SelectOptionAsync("reliability");
        var order = Dashboard.Column("layer-1").Locator("li.node").GetByTestId("identity");
        await Expect(order).ToHaveTextAsync([Short(good), Short(low), Short(unscored), Short(excluded)]);

        // The next period's scores arrive as a signed delta: the badge and the order follow.
        membership.SetQuality(Table((good, 0.93, false), (low, 0.99, false), (excluded, 0.97, true), (unscored, 0.2, false)));
        await ExpectBadge(low, "99 %", "good");
        await ExpectBadge(unscored, "20 %", "low");
        await Expect(order).ToHaveTextAsync([Short(low), Short(good), Short(unscored), Short(excluded)]);
        Dashboard.AssertClean();
        server.AssertNoUnexpectedErrors();
    }

    [Test]
    public async Task NodeView_ShowsTheReliabilityHistoryFromGetNode()
    {
        var server = await StartDirectoryAsync(Settings);
        using var node = await RegisterAsync(server, NodeRole.Mixnode, 2);
        using var other = await RegisterAsync(server, NodeRole.Gateway);
        var tracker = server.Services.GetRequiredService<QualityTracker>();
        var start = DateTimeOffset.UtcNow.AddMinutes(-4);
        // Four periods: the first falls out of the three-period window.
        var reliabilities = new[] { 0.1, 0.9, 0.6, 0.3 };
        ImmutableDictionary<NodeId, PublishedQuality> table = ImmutableDictionary<NodeId, PublishedQuality>.Empty;
        for (var i = 0; i < reliabilities.Length; i++)
        {
            table = Table((node, reliabilities[i], false), (other, 1, false));
            tracker.History.Record(start.AddMinutes(i), table, table.Keys);
        }

        server.Services.GetRequiredService<Membership>().SetQuality(table);
        await Dashboard.OpenAsync(server.WebAddress);
        await Dashboard.ExpectLiveAsync();
        await Dashboard.Node(node.IdentityKey).GetByTestId("host").ClickAsync();

        var view = Page.GetByTestId("node-view");
        await Expect(view.GetByTestId("nv-score")).ToHaveTextAsync("30 %");
        await Expect(view.GetByTestId("nv-score")).ToHaveAttributeAsync("data-level", "low");
        await Expect(view.GetByTestId("nv-quality")).ToContainTextAsync("30 % over the last hour");
        var history = view.GetByTestId("nv-history");
        await Expect(history).ToHaveAttributeAsync("data-count", "3");
        await Expect(history).ToHaveAttributeAsync("data-values", "0.900 0.600 0.300");
        var since = start.AddMinutes(1).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        await Expect(history).ToHaveTextAsync(new Regex("^3 quality periods since " + Regex.Escape(since) + " UTC: lowest 30 %, latest 30 %"));
        await SaveScreenshotAsync("reliability-history");

        // The other node has one sample per period too, all at 100 %.
        await Page.Keyboard.PressAsync("Escape");
        await Dashboard.Node(other.IdentityKey).GetByTestId("host").ClickAsync();
        await Expect(history).ToHaveAttributeAsync("data-values", "1.000 1.000 1.000");
        Dashboard.AssertClean();
        server.AssertNoUnexpectedErrors();
    }

    /// <summary>The row's identity text: the key's first 8 hex digits.</summary>
    private static string Short(TestNode node) => Hex(node.IdentityKey)[..8];

    private async Task ExpectBadge(TestNode node, string text, string level)
    {
        var badge = Dashboard.Node(node.IdentityKey).GetByTestId("score");
        await Expect(badge).ToHaveTextAsync(text);
        await Expect(badge).ToHaveAttributeAsync("data-level", level);
    }

    private static ImmutableDictionary<NodeId, PublishedQuality> Table(params (TestNode Node, double Reliability, bool Excluded)[] entries)
    {
        var table = ImmutableDictionary.CreateBuilder<NodeId, PublishedQuality>();
        foreach (var (node, reliability, excluded) in entries)
        {
            Assert.That(NodeId.TryRead(node.IdentityKey.Span, out var id), Is.True);
            table[id] = new PublishedQuality(id, reliability, reliability, 1, excluded);
        }

        return table.ToImmutable();
    }
}
