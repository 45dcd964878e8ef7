using Mixnet.Directory.V1;
using static Microsoft.Playwright.Assertions;

namespace Mixnet.Directory.Tests.Browser;

/// <summary>The connection state is told honestly, and the page reconnects by itself.</summary>
[TestFixture]
public sealed class DashboardConnectionTests : BrowserFixture
{
    [Test]
    public async Task Page_DirectoryStopsAndReturns_ReconnectingThenFreshDataFromTheNewDirectory()
    {
        var first = await StartDirectoryAsync();
        using var before = await RegisterAsync(first, NodeRole.Mixnode, 1);
        await Dashboard.OpenAsync(first.WebAddress);
        await Dashboard.ExpectLiveAsync();
        var fingerprint = await Dashboard.Fingerprint.TextContentAsync();
        await Expect(Dashboard.Node(before.IdentityKey)).ToBeVisibleAsync();

        await first.StopAsync();

        await Expect(Dashboard.ConnectionState).ToHaveTextAsync("reconnecting");
        await Expect(Dashboard.ConnectionState).ToHaveAttributeAsync("data-state", "reconnecting");
        await SaveScreenshotAsync("reconnecting");

        // The same directory (same data path, so the same key) comes back on the same Web port,
        // with an empty registry that only the new node has joined.
        var second = await StartDirectoryAsync(dataPath: first.DataPath, webPort: first.WebAddress.Port);
        using var after = await RegisterAsync(second, NodeRole.Mixnode, 3);

        await Expect(Dashboard.ConnectionState).ToHaveTextAsync("live", new() { Timeout = 30_000 });
        await Expect(Dashboard.Node(after.IdentityKey)).ToBeVisibleAsync();
        await Expect(Dashboard.Node(before.IdentityKey)).ToHaveCountAsync(0);
        await Expect(Dashboard.Fingerprint).ToHaveTextAsync(fingerprint!);
        await Expect(Dashboard.VerifyError).ToBeHiddenAsync();
        Dashboard.AssertClean();
        second.AssertNoUnexpectedErrors();
    }

    [Test]
    public async Task Page_DirectoryGoneForLong_SaysDirectoryUnreachable()
    {
        var server = await StartDirectoryAsync();
        await Dashboard.OpenAsync(server.WebAddress);
        await Dashboard.ExpectLiveAsync();

        await server.StopAsync();

        await Expect(Dashboard.ConnectionState).ToHaveTextAsync("reconnecting");
        await Expect(Dashboard.ConnectionState).ToHaveTextAsync("directory unreachable", new() { Timeout = 40_000 });
        await Expect(Page.GetByTestId("conn-detail")).ToContainTextAsync("retrying");
        Dashboard.AssertClean();
    }
}
