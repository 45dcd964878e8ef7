using System.Diagnostics;
using System.Net;
using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.Hostile;

/// <summary>REST bodies over their route's limit are refused with 413 before they are read in full.</summary>
[TestFixture]
[Category("Hostile")]
public sealed class OversizedBodyTests
{
    private const long Huge = 28L * 1024 * 1024;

    /// <summary>What the process may keep after a flood of 28 MB bodies, once collected.</summary>
    private const long RssBound = 64L * 1024 * 1024;

    [TestCase(false)]
    [TestCase(true)]
    public async Task Heartbeat_28MegabyteJsonBody_413BeforeReadingIt(bool chunked)
    {
        await using var server = await DirectoryServerHost.StartAsync();
        using var cts = TaskTimeouts.Cancel();

        var answer = await RawHttp1.PostHugeAsync(server.WebAddress, "/v1/nodes:heartbeat", Huge, chunked, cts.Token);

        Assert.That(answer, Does.StartWith("HTTP/1.1 413"), answer);
        await Innocent.AssertServedAsync(server);
        server.DeleteData();
    }

    [Test]
    [NonParallelizable] // RSS is the whole test process's: another fixture's directory running meanwhile would count toward the bound.
    public async Task Flood_OversizedBodies_RssReturnsWithinBoundAndOthersServed()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        var before = CollectedRss();
        var started = Stopwatch.StartNew();

        for (var i = 0; i < 20; i++)
        {
            using var cts = TaskTimeouts.Cancel();
            var answer = await RawHttp1.PostHugeAsync(server.WebAddress, i % 2 == 0 ? "/v1/nodes:heartbeat" : "/v1/nodes:register", Huge, chunked: i % 4 < 2, cts.Token);
            Assert.That(answer, Does.StartWith("HTTP/1.1 413"), answer);
        }

        var after = CollectedRss();
        TestContext.Out.WriteLine($"RSS before {before / 1024 / 1024} MB, after {after / 1024 / 1024} MB, flood took {started.Elapsed.TotalSeconds:F1} s");
        Assert.That(after - before, Is.LessThan(RssBound), "the flood left the process at most 64 MB larger once collected");
        await Innocent.AssertServedAsync(server);
        server.DeleteData();
    }

    [Test]
    public async Task Rest_RateLimited_429CarriesRetryAfter()
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Directory:RateLimits:TopologyBurstPerIp"] = "1",
            ["Directory:RateLimits:TopologyRequestsPerSecondPerIp"] = "1",
        });
        using var http = new HttpClient { BaseAddress = server.WebAddress };
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 10 && limited is null; i++)
        {
            var response = await http.GetAsync(new Uri("/v1/topology", UriKind.Relative)).Within();
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.That(limited, Is.Not.Null, "the topology limit answers 429 on REST");
        Assert.That(limited!.Headers.RetryAfter, Is.Not.Null, "every 429 says when to come back");
        Assert.That(limited.Headers.RetryAfter!.Delta, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
        limited.Dispose();
        server.DeleteData();
    }

    private static long CollectedRss()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }
}
