using Mixnet.Directory.Tests.Infrastructure;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mixnet.Directory.Server.Metrics;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;
using static Microsoft.Playwright.Assertions;

namespace Mixnet.Directory.Tests.Browser;

/// <summary>A click on a node shows everything about it: descriptor, lease times (GetNode over gRPC-Web) and traffic.</summary>
[TestFixture]
public sealed class DashboardNodeViewTests : BrowserFixture
{
    [Test]
    public async Task NodeClicked_DescriptorLeaseAndTrafficShown()
    {
        // Whole seconds, so the times the page prints can be compared exactly.
        var registeredAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 30);
        var time = new FakeTimeProvider(registeredAt);
        var server = await StartDirectoryAsync(
            new Dictionary<string, string?> { ["Directory:MetricsWindow"] = "00:00:01", ["Directory:TopologyBatchWindow"] = "00:00:00" }, time);
        var hub = server.Services.GetRequiredService<MetricsHub>();
        const string location = "<img src=x onerror=alert(1)> Oslo, NO";
        using var node = await RegisterAsync(server, NodeRole.Mixnode, 2, d =>
        {
            d.Host = "mix.example.net";
            d.Version = "1.4.2";
            d.Location = location;
        }, registeredAt);
        using var other = await RegisterAsync(server, NodeRole.Gateway, now: registeredAt);
        await Dashboard.OpenAsync(server.WebAddress);
        await Dashboard.ExpectLiveAsync();

        // Three windows of traffic while the page is open; the other node carries the rest of the network's.
        for (var i = 1; i <= 3; i++)
        {
            await ReportAsync(server, node, received: (ulong)(100 * i), sent: (ulong)(200 * i));
            await ReportAsync(server, other, received: 300, sent: 0);
            hub.CloseWindow(registeredAt.AddSeconds(i), 2);
        }

        await Expect(Dashboard.Node(node.IdentityKey).GetByTestId("sent")).ToHaveTextAsync("↑ 600/s");
        await Dashboard.Node(node.IdentityKey).GetByTestId("location").ClickAsync();

        var view = Page.GetByTestId("node-view");
        await Expect(view).ToBeVisibleAsync();
        await Expect(view.GetByTestId("nv-identity")).ToHaveTextAsync(Hex(node.IdentityKey));
        await Expect(view.GetByTestId("nv-sphinx")).ToHaveTextAsync(Hex(node.Descriptor.SphinxKey));
        await Expect(view.GetByTestId("nv-role")).ToHaveTextAsync("mixnode");
        await Expect(view.GetByTestId("nv-layer")).ToHaveTextAsync("2");
        await Expect(view.GetByTestId("nv-host")).ToHaveTextAsync("mix.example.net");
        await Expect(view.GetByTestId("nv-mix-port")).ToHaveTextAsync(node.Descriptor.MixPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(view.GetByTestId("nv-client-port")).ToContainTextAsync("none");
        await Expect(view.GetByTestId("nv-version")).ToHaveTextAsync("1.4.2");
        await Expect(view.GetByTestId("nv-location")).ToHaveTextAsync(location);
        var utc = registeredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " UTC";
        await Expect(view.GetByTestId("nv-signed-at")).ToHaveTextAsync(utc);

        // Registered and last seen exist only in GetNode's answer: the call went through gRPC-Web.
        await Expect(view.GetByTestId("nv-registered")).ToHaveTextAsync(new Regex("^" + Regex.Escape(utc) + @" \(\d+ (s|min) ago\)$"));
        await Expect(view.GetByTestId("nv-last-seen")).ToHaveTextAsync(new Regex("^" + Regex.Escape(utc) + " "));

        await Expect(view.GetByTestId("nv-sent")).ToHaveTextAsync("↑ 600/s");
        await Expect(view.GetByTestId("nv-received")).ToHaveTextAsync("↓ 300/s");
        await Expect(view.GetByTestId("nv-chart-span")).ToHaveTextAsync("· last 3 s");
        await Expect(view.GetByTestId("nv-totals")).ToHaveTextAsync("1,200 packets sent, 600 received in the last 3 s");
        await Expect(view.GetByTestId("nv-next-hops")).ToContainTextAsync("one total per node");
        await Expect(view.GetByTestId("nv-share")).ToContainTextAsync("100.0 % of the network's packets sent and 50.0 % of those received");
        Assert.That(await view.Locator("img").CountAsync(), Is.Zero, "a location is text, never markup");
        await SaveScreenshotAsync("node-view");

        // It follows the live stream while open.
        await ReportAsync(server, node, received: 5, sent: 7);
        hub.CloseWindow(registeredAt.AddSeconds(4), 2);
        await Expect(view.GetByTestId("nv-sent")).ToHaveTextAsync("↑ 7/s");
        await Expect(view.GetByTestId("nv-chart-span")).ToHaveTextAsync("· last 4 s");

        await Page.Keyboard.PressAsync("Escape");
        await Expect(view).ToBeHiddenAsync();
        Dashboard.AssertClean();
        server.AssertNoUnexpectedErrors();
    }

    [Test]
    public async Task NodeViewOpen_NodeLeaves_SaysSoAndKeepsWhatItPublished()
    {
        var server = await StartDirectoryAsync();
        using var node = await RegisterAsync(server, NodeRole.Gateway, edit: d => d.Location = "Lima, PE");
        await Dashboard.OpenAsync(server.WebAddress);
        await Dashboard.Node(node.IdentityKey).GetByTestId("location").ClickAsync();
        var view = Page.GetByTestId("node-view");
        await Expect(view.GetByTestId("nv-role")).ToHaveTextAsync("gateway");
        await Expect(view.GetByTestId("nv-client-port")).ToHaveTextAsync("9000");
        await Expect(view.GetByTestId("nv-registered")).ToContainTextAsync(" UTC (");

        await new RawClients(server.Channel).Registry.DeregisterNodeAsync(new DeregisterNodeRequest { IdentityKey = node.IdentityKey, LeaseToken = node.LeaseToken });

        await Expect(view.GetByTestId("nv-gone")).ToBeVisibleAsync();
        await Expect(view.GetByTestId("nv-gone")).ToContainTextAsync("no longer in the topology");
        await Expect(view.GetByTestId("nv-location")).ToHaveTextAsync("Lima, PE");
        await view.GetByTestId("nv-close").ClickAsync();
        await Expect(view).ToBeHiddenAsync();
        Dashboard.AssertClean();
    }
}
