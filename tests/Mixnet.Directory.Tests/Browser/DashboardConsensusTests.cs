using System.Text.RegularExpressions;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;
using static Microsoft.Playwright.Assertions;

namespace Mixnet.Directory.Tests.Browser;

/// <summary>
/// The consensus panel on an authority's dashboard: three authorities on loopback, the page on
/// the first one's Web endpoint. It shows the epoch and the signers it verified itself, and says
/// so when no consensus for the current epoch comes (the other two authorities stopped).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DashboardConsensusTests : BrowserFixture
{
    // Long enough that the stale span (fresh_until to valid_until, one epoch) is easy to observe.
    private static readonly TimeSpan EpochLength = TimeSpan.FromSeconds(6);

    [Test]
    public async Task Authority_ShowsEpochAndVerifiedSigners_ThenWarnsWhenTheConsensusGoesStale()
    {
        await using var cluster = await AuthorityCluster.StartAsync(3, EpochLength);
        using var node = new TestNode(NodeRole.Gateway);
        var request = node.RegisterRequest(DateTimeOffset.UtcNow);
        foreach (var host in cluster.Running)
        {
            await new RegistryService.RegistryServiceClient(host.Channel).RegisterNodeAsync(request).ResponseAsync.Within();
        }

        var full = await cluster.Published(0, c => c.Signatures.Count == 3 && AuthorityCluster.Nodes(c) == 1).Within(TimeSpan.FromSeconds(40));
        await Dashboard.OpenAsync(cluster[0].WebAddress);
        await Dashboard.ExpectLiveAsync();

        var panel = Page.GetByTestId("consensus");
        await Expect(panel).ToBeVisibleAsync();
        // Checked in one attribute each, so an epoch turning over between two reads cannot mix states.
        var keys = cluster.PublicKeys.Select(k => KeyFingerprint.Hex(k.Span)).Order(StringComparer.Ordinal).ToArray();
        await Expect(panel.GetByTestId("cs-signers")).ToHaveAttributeAsync("data-checks", string.Join(' ', keys.Select(k => k + ":valid")));
        await Expect(panel.GetByTestId("cs-signed")).ToHaveTextAsync("3 of 3 authorities (threshold 2)");
        // Named as configured (GetDirectoryInfo lists the authorities: auth0..auth2 in configuration order).
        var configured = cluster.PublicKeys.Select(k => KeyFingerprint.Hex(k.Span)).ToList();
        await Expect(panel.GetByTestId("cs-signer").First).ToHaveTextAsync($"auth{configured.IndexOf(keys[0])} {keys[0][..8]} ✓ signed");
        await Expect(panel.GetByTestId("cs-epoch")).ToHaveTextAsync(new Regex(@"^\d+$"));
        var epoch = ulong.Parse(await panel.GetByTestId("cs-epoch").TextContentAsync() ?? "", System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(epoch, Is.GreaterThanOrEqualTo(AuthorityCluster.Epoch(full)));
        await Expect(panel.GetByTestId("cs-nodes")).ToHaveTextAsync("1");
        await Expect(panel.GetByTestId("cs-fresh-until")).ToHaveTextAsync(new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$"));
        await Expect(panel.GetByTestId("cs-stale")).ToBeHiddenAsync();

        // Two of three stop: the last one cannot reach the threshold, so no consensus for the next
        // epoch comes. The page says so once fresh_until passes (and, an epoch later, that it expired).
        await cluster.StopAsync(1);
        await cluster.StopAsync(2);
        var warning = panel.GetByTestId("cs-stale");
        await Expect(warning).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(warning).ToHaveAttributeAsync("data-level", new Regex("^(stale|expired)$"));
        await Expect(warning).ToContainTextAsync(new Regex("no consensus for the current epoch|expired"));
        await Expect(panel).ToHaveAttributeAsync("data-state", new Regex("^(stale|expired)$"));
        await Expect(Dashboard.ConnectionState).ToHaveAttributeAsync("data-state", "live");
        await SaveScreenshotAsync("consensus-stale");
        Dashboard.AssertClean();
    }

    [Test]
    public async Task NotAnAuthority_PanelStaysHidden()
    {
        var server = await StartDirectoryAsync();
        await Dashboard.OpenAsync(server.WebAddress);
        await Dashboard.ExpectLiveAsync();

        // The first GetConsensus answer (FAILED_PRECONDITION: not an authority) is what hides it for good.
        await Expect(Page.Locator("[data-testid='consensus'][data-mode='none']")).ToHaveCountAsync(1);
        await Expect(Page.GetByTestId("consensus")).ToBeHiddenAsync();
        Dashboard.AssertClean();
        server.AssertNoUnexpectedErrors();
    }
}
