using Google.Protobuf;
using Microsoft.Playwright;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Browser;

/// <summary>
/// One Chromium per fixture, a fresh browser context and tab per test, and the directories a
/// test starts, stopped and deleted after it. On failure the tab is attached as a screenshot.
/// </summary>
[Category("Browser")]
public abstract class BrowserFixture
{
    private readonly List<DirectoryServerHost> _servers = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private IBrowserContext? _context;

    protected DashboardPage Dashboard { get; private set; } = null!;

    protected IPage Page => Dashboard.Page;

    /// <summary>The viewport a test starts with; a test may resize.</summary>
    protected virtual ViewportSize Viewport => new() { Width = 1400, Height = 900 };

    [OneTimeSetUp]
    public async Task LaunchBrowser()
    {
        Chromium.Require();
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    [OneTimeTearDown]
    public async Task CloseBrowser()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    [SetUp]
    public async Task OpenTab()
    {
        _context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = Viewport });
        _context.SetDefaultTimeout(15_000);
        Dashboard = new DashboardPage(await _context.NewPageAsync());
    }

    [TearDown]
    public async Task CloseTabAndServers()
    {
        try
        {
            if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed && _context is not null)
            {
                await SaveScreenshotAsync("failure");
            }

            if (_context is not null)
            {
                await _context.CloseAsync();
            }
        }
        finally
        {
            foreach (var server in _servers)
            {
                await server.DisposeAsync();
                server.DeleteData();
            }

            _servers.Clear();
        }
    }

    /// <summary>Starts a directory that is stopped and deleted after the test.</summary>
    protected async Task<DirectoryServerHost> StartDirectoryAsync(
        IDictionary<string, string?>? settings = null, TimeProvider? time = null, string? dataPath = null, int webPort = 0)
    {
        var server = await DirectoryServerHost.StartAsync(settings, time, dataPath: dataPath, webPort: webPort);
        _servers.Add(server);
        return server;
    }

    /// <summary>Registers a node through the raw contract, as a mixnode or gateway would.</summary>
    protected static async Task<TestNode> RegisterAsync(
        DirectoryServerHost server, NodeRole role, uint layer = 0, Action<NodeDescriptor>? edit = null, DateTimeOffset? now = null)
    {
        var node = new TestNode(role, layer);
        var request = node.RegisterRequest(now ?? DateTimeOffset.UtcNow, edit);
        var lease = await new RawClients(server.Channel).Registry.RegisterNodeAsync(request).ResponseAsync.Within();
        node.LeaseToken = lease.LeaseToken;
        return node;
    }

    protected static Task ReportAsync(DirectoryServerHost server, TestNode node, ulong received, ulong sent)
    {
        var request = new ReportMetricsRequest { IdentityKey = node.IdentityKey, LeaseToken = node.LeaseToken, Received = received };
        request.Sent.Add("198.51.100.1:1789", sent);
        return new RawClients(server.Channel).Metrics.ReportMetricsAsync(request).ResponseAsync.Within();
    }

    protected static string Hex(ByteString key) => Mixnet.Directory.Signing.KeyFingerprint.Hex(key.Span);

    /// <summary>Saves the tab as a PNG in the test's work directory and attaches it to the result.</summary>
    protected async Task<string> SaveScreenshotAsync(string name, bool fullPage = false)
    {
        var directory = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{TestContext.CurrentContext.Test.MethodName}-{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        TestContext.AddTestAttachment(path, name);
        return path;
    }
}
