using Microsoft.Playwright;

namespace Mixnet.Directory.Tests.Browser;

/// <summary>
/// Debian's Chromium, driven through Playwright's bundled driver. Nothing here downloads a
/// browser: `playwright install` is never run, the executable is the system package.
/// </summary>
public static class Chromium
{
    public const string DefaultPath = "/usr/bin/chromium";

    // As root in a container: no sandbox, no /dev/shm, and no background calls to Google,
    // whose connections this machine's closed network refuses.
    private static readonly string[] LaunchArgs =
    [
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    /// <summary>The browser to drive; MIXNET_CHROMIUM overrides the Debian path.</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("MIXNET_CHROMIUM") is { Length: > 0 } path ? path : DefaultPath;

    /// <summary>Under CI a missing browser fails the run, so browser tests can never pass by not running.</summary>
    public static void Require()
    {
        if (File.Exists(ExecutablePath))
        {
            return;
        }

        var message = $"Chromium not found at {ExecutablePath}; install Debian's package: apt-get install -y chromium";
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Assert.Fail(message + " (CI is set: browser tests must run)");
        }

        Assert.Ignore(message);
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = LaunchArgs,
            Timeout = 60_000,
        });
}
