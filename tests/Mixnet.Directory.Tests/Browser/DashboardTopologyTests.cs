using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mixnet.Directory.Server.Topology;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;
using static Microsoft.Playwright.Assertions;

namespace Mixnet.Directory.Tests.Browser;

/// <summary>What the page shows of the topology, against a real directory fed over the raw contract.</summary>
[TestFixture]
public sealed class DashboardTopologyTests : BrowserFixture
{
    [Test]
    public async Task Page_NodesInEveryLayer_ListedByLayerWithTheirDetails()
    {
        var server = await StartDirectoryAsync();
        using var l1 = await RegisterAsync(server, NodeRole.Mixnode, 1, d => d.Location = "Frankfurt, DE");
        using var l2 = await RegisterAsync(server, NodeRole.Mixnode, 2);
        using var l3a = await RegisterAsync(server, NodeRole.Mixnode, 3);
        using var l3b = await RegisterAsync(server, NodeRole.Mixnode, 3);
        using var gw = await RegisterAsync(server, NodeRole.Gateway, edit: d => d.Version = "2.1.0");
        var info = await new RawClients(server.Channel).Topology.GetDirectoryInfoAsync(new GetDirectoryInfoRequest()).ResponseAsync.Within();

        await Dashboard.OpenAsync(server.WebAddress);

        await Dashboard.ExpectLiveAsync();
        await Expect(Dashboard.ConnectionState).ToHaveTextAsync("live");
        await Expect(Dashboard.Column("layer-1").Locator("li.node")).ToHaveCountAsync(1);
        await Expect(Dashboard.Column("layer-2").Locator("li.node")).ToHaveCountAsync(1);
        await Expect(Dashboard.Column("layer-3").Locator("li.node")).ToHaveCountAsync(2);
        await Expect(Dashboard.Column("gateways").Locator("li.node")).ToHaveCountAsync(1);
        await Expect(Dashboard.Column("layer-1").GetByTestId("node-" + Hex(l1.IdentityKey))).ToBeVisibleAsync();
        await Expect(Dashboard.Column("layer-3").GetByTestId("node-" + Hex(l3b.IdentityKey))).ToBeVisibleAsync();
        await Expect(Dashboard.Column("gateways").GetByTestId("node-" + Hex(gw.IdentityKey))).ToBeVisibleAsync();
        await Expect(Dashboard.LiveNodes).ToHaveTextAsync("5");
        await Expect(Dashboard.Fingerprint).ToHaveTextAsync(KeyFingerprint.Of(info.DirectoryKey.Span));

        var row = Dashboard.Node(l1.IdentityKey);
        await Expect(row.GetByTestId("identity")).ToHaveTextAsync(Hex(l1.IdentityKey)[..8]);
        await Expect(row.GetByTestId("identity")).ToHaveAttributeAsync("title", Hex(l1.IdentityKey));
        await Expect(row.GetByTestId("host")).ToHaveTextAsync($"127.0.0.1:{l1.Descriptor.MixPort}");
        await Expect(row.GetByTestId("version")).ToHaveTextAsync("v" + l1.Version);
        await Expect(row.GetByTestId("location")).ToHaveTextAsync("Frankfurt, DE");
        await Expect(Dashboard.Node(gw.IdentityKey).GetByTestId("version")).ToHaveTextAsync("v2.1.0");
        Dashboard.AssertClean();
        server.AssertNoUnexpectedErrors();
    }

    [Test]
    public async Task Page_NodesJoinAndLeave_RowsFollowWithoutReload()
    {
        var server = await StartDirectoryAsync();
        var registry = new RawClients(server.Channel).Registry;
        using var stays = await RegisterAsync(server, NodeRole.Mixnode, 1);
        using var leaves = await RegisterAsync(server, NodeRole.Mixnode, 2);
        await Dashboard.OpenAsync(server.WebAddress);
        await Expect(Dashboard.Node(leaves.IdentityKey)).ToBeVisibleAsync();

        await registry.DeregisterNodeAsync(new DeregisterNodeRequest { IdentityKey = leaves.IdentityKey, LeaseToken = leaves.LeaseToken }).ResponseAsync.Within();
        await Expect(Dashboard.Node(leaves.IdentityKey)).ToHaveCountAsync(0);
        await Expect(Dashboard.LiveNodes).ToHaveTextAsync("1");

        using var joins = await RegisterAsync(server, NodeRole.Gateway);
        await Expect(Dashboard.Column("gateways").GetByTestId("node-" + Hex(joins.IdentityKey))).ToBeVisibleAsync();
        await Expect(Dashboard.Node(stays.IdentityKey)).ToBeVisibleAsync();
        await Expect(Dashboard.LiveNodes).ToHaveTextAsync("2");
        await Expect(Dashboard.Column("layer-2").Locator("li.node")).ToHaveCountAsync(0);
        Dashboard.AssertClean();
        server.AssertNoUnexpectedErrors();
    }

    [Test]
    public async Task Page_TopologyVersion_ShownAsTimeSinceItChangedWithTheNumberOnHover()
    {
        // The directory's clock is 40 s behind the browser's: the version it publishes is 40 s old.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddSeconds(-40));
        var server = await StartDirectoryAsync(new Dictionary<string, string?> { ["Directory:TopologyBatchWindow"] = "00:00:00" }, time);
        var publisher = server.Services.GetRequiredService<TopologyPublisher>();
        using var first = await RegisterAsync(server, NodeRole.Mixnode, 1, now: time.GetUtcNow());
        await Dashboard.OpenAsync(server.WebAddress);
        await Expect(Dashboard.Node(first.IdentityKey)).ToBeVisibleAsync();
        var version = Page.GetByTestId("topology-version");
        var firstVersion = publisher.Current.Version;

        await Expect(version).ToHaveTextAsync(new Regex(@"^changed \d+ s ago$"));
        await Expect(version).ToHaveAttributeAsync("title", new Regex($@"^topology version {firstVersion}, published \d{{4}}-"));
        var age = int.Parse(Regex.Match((await version.TextContentAsync())!, @"\d+").Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(age, Is.InRange(39, 52), "the version was published 40 s (plus this test's set-up) ago");

        // Nothing new arrives, yet the age keeps counting.
        var older = string.Join("|", Enumerable.Range(age + 2, 60 - age - 2));
        await Expect(version).ToHaveTextAsync(new Regex($"^changed ({older}) s ago$"));

        // A node joins: a new version, changed just now.
        time.SetUtcNow(DateTimeOffset.UtcNow);
        using var second = await RegisterAsync(server, NodeRole.Mixnode, 2, now: time.GetUtcNow());
        await Expect(Dashboard.Node(second.IdentityKey)).ToBeVisibleAsync();
        Assert.That(publisher.Current.Version, Is.Not.EqualTo(firstVersion));
        await Expect(version).ToHaveAttributeAsync("title", new Regex($@"^topology version {publisher.Current.Version},"));
        await Expect(version).ToHaveTextAsync(new Regex(@"^changed \d s ago$"));
        Dashboard.AssertClean();
        server.AssertNoUnexpectedErrors();
    }

    [Test]
    public async Task Page_FilterBox_ShowsOnlyMatchingNodes()
    {
        var server = await StartDirectoryAsync();
        using var oslo = await RegisterAsync(server, NodeRole.Mixnode, 1, d => d.Location = "Oslo, NO");
        using var lima = await RegisterAsync(server, NodeRole.Mixnode, 2, d => d.Location = "Lima, PE");
        await Dashboard.OpenAsync(server.WebAddress);
        await Expect(Dashboard.AllNodes).ToHaveCountAsync(2);

        await Page.GetByTestId("filter").FillAsync("oslo");

        await Expect(Dashboard.AllNodes).ToHaveCountAsync(1);
        await Expect(Dashboard.Node(oslo.IdentityKey)).ToBeVisibleAsync();
        await Page.GetByTestId("filter").FillAsync(Hex(lima.IdentityKey)[..10]);
        await Expect(Dashboard.AllNodes).ToHaveCountAsync(1);
        await Expect(Dashboard.Node(lima.IdentityKey)).ToBeVisibleAsync();
        Dashboard.AssertClean();
    }

    [Test]
    public async Task Page_IdentityClicked_FullKeyCopied()
    {
        var server = await StartDirectoryAsync();
        using var node = await RegisterAsync(server, NodeRole.Mixnode, 2);
        await Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = server.WebAddress.GetLeftPart(UriPartial.Authority) });
        await Dashboard.OpenAsync(server.WebAddress);

        await Dashboard.Node(node.IdentityKey).GetByTestId("identity").ClickAsync();

        await Expect(Page.GetByTestId("toast")).ToContainTextAsync("copied identity " + Hex(node.IdentityKey)[..8]);
        var copied = await Page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.That(copied, Is.EqualTo(Hex(node.IdentityKey)));
        Dashboard.AssertClean();
    }

    [Test]
    public async Task Page_ApiDocsLink_OpensTheInteractiveDocs()
    {
        var server = await StartDirectoryAsync();
        await Dashboard.OpenAsync(server.WebAddress);
        await Dashboard.ExpectLiveAsync();

        // The docs are a separate page (Swagger UI, not under the dashboard's CSP); follow the link there.
        var href = await Page.GetByTestId("api-docs").GetAttributeAsync("href");
        var docs = await Page.Context.NewPageAsync();
        var response = await docs.GotoAsync(new Uri(server.WebAddress, href).ToString());

        Assert.That(response!.Status, Is.EqualTo(200));
        await Expect(docs.Locator("#swagger-ui")).ToBeAttachedAsync();
        await docs.CloseAsync();
    }
}
