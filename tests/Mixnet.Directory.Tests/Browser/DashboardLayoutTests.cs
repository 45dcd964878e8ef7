using Microsoft.Playwright;
using Mixnet.Directory.V1;
using static Microsoft.Playwright.Assertions;

namespace Mixnet.Directory.Tests.Browser;

/// <summary>Four columns side by side on a wide monitor, one column on a phone, and no sideways scrolling.</summary>
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

        await AssertNoHorizontalScrollAsync();
        Dashboard.AssertClean();
    }

    [Test]
    public async Task Page_PhoneWidth_ColumnsStackAndNothingOverflows()
    {
        var server = await StartDirectoryAsync();
        using var node = await RegisterAsync(server, NodeRole.Mixnode, 2, d => d.Location = "A rather long location name, Somewhere");
        await Page.SetViewportSizeAsync(390, 844);
        await Dashboard.OpenAsync(server.WebAddress);
        await Expect(Dashboard.Node(node.IdentityKey)).ToBeVisibleAsync();

        var boxes = await BoxesAsync();

        for (var i = 1; i < boxes.Length; i++)
        {
            Assert.That(boxes[i].X, Is.EqualTo(boxes[0].X).Within(1), $"{Columns[i]} is in the single column");
            Assert.That(boxes[i].Y, Is.GreaterThan(boxes[i - 1].Y + boxes[i - 1].Height - 1), $"{Columns[i]} is below {Columns[i - 1]}");
            Assert.That(boxes[i].Width, Is.LessThanOrEqualTo(390));
        }

        await AssertNoHorizontalScrollAsync();
        await SaveScreenshotAsync("phone", fullPage: true);
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
