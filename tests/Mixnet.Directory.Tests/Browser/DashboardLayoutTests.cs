using Microsoft.Playwright;
using Mixnet.Directory.V1;
using static Microsoft.Playwright.Assertions;

namespace Mixnet.Directory.Tests.Browser;

/// <summary>Four columns side by side on a wide monitor, one layer at a time (tabs) on a phone, and no sideways scrolling.</summary>
[TestFixture]
public sealed class DashboardLayoutTests : BrowserFixture
{
    private static readonly string[] Columns = ["layer-1", "layer-2", "layer-3", "gateways"];

    [Test]
    public async Task Page_WideMonitor_FourColumnsSideBySide()
    {
        var server = await StartDirectoryAsync();
        using var node = await RegisterAsync(server, NodeRole.Mixnode, 1);
        await Page.SetViewportSizeAsync(1920, 1080);
        await Dashboard.OpenAsync(server.WebAddress);
        await Expect(Dashboard.Node(node.IdentityKey)).ToBeVisibleAsync();

        var boxes = await BoxesAsync();

        for (var i = 1; i < boxes.Length; i++)
        {
            Assert.That(boxes[i].Y, Is.EqualTo(boxes[0].Y).Within(1), $"{Columns[i]} is on the first row");
            Assert.That(boxes[i].X, Is.GreaterThan(boxes[i - 1].X + boxes[i - 1].Width - 1), $"{Columns[i]} is right of {Columns[i - 1]}");
        }

        await Expect(Page.GetByTestId("layer-tabs")).ToBeHiddenAsync();
        await AssertNoHorizontalScrollAsync();
        Dashboard.AssertClean();
    }

    [Test]
    public async Task Page_PhoneWidth_OneLayerAtATimeChosenWithTabs()
    {
        var server = await StartDirectoryAsync();
        using var first = await RegisterAsync(server, NodeRole.Mixnode, 1);
        using var second = await RegisterAsync(server, NodeRole.Mixnode, 2, d => d.Location = "A rather long location name, Somewhere");
        using var secondToo = await RegisterAsync(server, NodeRole.Mixnode, 2);
        using var gateway = await RegisterAsync(server, NodeRole.Gateway);
        await Page.SetViewportSizeAsync(390, 844);
        await Dashboard.OpenAsync(server.WebAddress);
        await Expect(Dashboard.Node(first.IdentityKey)).ToBeVisibleAsync();

        // Layer 1 first, and no scrolling past it to reach layer 2: its tab is on screen.
        await Expect(Page.GetByTestId("layer-tabs")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("tab-layer-2")).ToContainTextAsync("2");
        await Expect(Page.GetByTestId("tab-layer-1")).ToHaveAttributeAsync("aria-selected", "true");
        foreach (var hidden in new[] { "layer-2", "layer-3", "gateways" })
        {
            await Expect(Dashboard.Column(hidden)).ToBeHiddenAsync();
        }

        await Page.GetByTestId("tab-layer-2").ClickAsync();

        await Expect(Dashboard.Column("layer-2")).ToBeVisibleAsync();
        await Expect(Dashboard.Node(second.IdentityKey)).ToBeVisibleAsync();
        await Expect(Dashboard.Node(secondToo.IdentityKey)).ToBeVisibleAsync();
        await Expect(Dashboard.Column("layer-1")).ToBeHiddenAsync();
        await Expect(Page.GetByTestId("tab-layer-2")).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(Page.GetByTestId("tab-layer-1")).ToHaveAttributeAsync("aria-selected", "false");
        var box = await Dashboard.Column("layer-2").BoundingBoxAsync() ?? throw new AssertionException("layer 2 is not laid out");
        Assert.That(box.Width, Is.LessThanOrEqualTo(390));
        await AssertNoHorizontalScrollAsync();
        await SaveScreenshotAsync("phone", fullPage: true);

        await Page.GetByTestId("tab-gateways").ClickAsync();
        await Expect(Dashboard.Node(gateway.IdentityKey)).ToBeVisibleAsync();
        await Expect(Dashboard.Column("layer-2")).ToBeHiddenAsync();

        // A node's details fill the phone's screen, without sideways scrolling either.
        await Dashboard.Node(gateway.IdentityKey).GetByTestId("host").ClickAsync();
        await Expect(Page.GetByTestId("nv-identity")).ToHaveTextAsync(Hex(gateway.IdentityKey));
        var details = await Page.GetByTestId("node-view").BoundingBoxAsync() ?? throw new AssertionException("the node view is not laid out");
        Assert.That(details.X, Is.GreaterThanOrEqualTo(0));
        Assert.That(details.X + details.Width, Is.LessThanOrEqualTo(390));
        await SaveScreenshotAsync("phone-node-view");
        Dashboard.AssertClean();
    }

    private async Task<LocatorBoundingBoxResult[]> BoxesAsync()
    {
        var boxes = new LocatorBoundingBoxResult[Columns.Length];
        for (var i = 0; i < Columns.Length; i++)
        {
            boxes[i] = await Dashboard.Column(Columns[i]).BoundingBoxAsync() ?? throw new AssertionException($"{Columns[i]} is not laid out");
        }

        return boxes;
    }

    private async Task AssertNoHorizontalScrollAsync()
    {
        var overflow = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.That(overflow, Is.LessThanOrEqualTo(0), "the page scrolls sideways");
    }
}
