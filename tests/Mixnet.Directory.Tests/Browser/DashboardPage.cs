using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.Playwright;
using Mixnet.Directory.Signing;
using static Microsoft.Playwright.Assertions;

namespace Mixnet.Directory.Tests.Browser;

/// <summary>The dashboard in one browser tab, with everything the page did that a test should not allow.</summary>
public sealed class DashboardPage
{
    private readonly ConcurrentQueue<string> _dialogs = new();
    private readonly ConcurrentQueue<string> _pageErrors = new();
    private readonly ConcurrentQueue<string> _cspViolations = new();

    public DashboardPage(IPage page)
    {
        Page = page;
        page.Dialog += (_, dialog) =>
        {
            _dialogs.Enqueue($"{dialog.Type}: {dialog.Message}");
            _ = dialog.DismissAsync();
        };
        page.PageError += (_, error) => _pageErrors.Enqueue(error);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                _cspViolations.Enqueue(message.Text);
            }
        };
    }

    public IPage Page { get; }

    public IReadOnlyCollection<string> Dialogs => _dialogs;

    public ILocator ConnectionState => Page.GetByTestId("conn-state");

    public ILocator Fingerprint => Page.GetByTestId("fingerprint");

    public ILocator LiveNodes => Page.GetByTestId("live-nodes");

    public ILocator TotalSent => Page.GetByTestId("total-sent");

    public ILocator TotalReceived => Page.GetByTestId("total-received");

    public ILocator VerifyError => Page.GetByTestId("verify-error");

    public ILocator Column(string testId) => Page.GetByTestId(testId);

    public ILocator Node(ByteString identityKey) => Page.GetByTestId("node-" + KeyFingerprint.Hex(identityKey.Span));

    public ILocator AllNodes => Page.Locator("li.node");

    public async Task OpenAsync(Uri webAddress)
    {
        await Page.GotoAsync(webAddress.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
    }

    public Task ExpectLiveAsync() => Expect(ConnectionState).ToHaveAttributeAsync("data-state", "live");

    /// <summary>No alert ran, no script failed, and the CSP refused nothing (so no inline code slipped in).</summary>
    public void AssertClean()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_dialogs, Is.Empty, "the page opened a dialog");
            Assert.That(_pageErrors, Is.Empty, "the page threw");
            Assert.That(_cspViolations, Is.Empty, "the page broke its Content-Security-Policy");
        });
    }
}
