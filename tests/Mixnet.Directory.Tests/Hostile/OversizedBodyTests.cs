using System.Net;
using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.Hostile;

/// <summary>REST bodies over their route's limit are refused with 413 before they are read in full.</summary>
[TestFixture]
[Category("Hostile")]
public sealed class OversizedBodyTests
{
    /// <summary>The body length an attacker announces (and would send, were it read).</summary>
    private const long Huge = 1L << 30;

    /// <summary>
    /// At most this much of <see cref="Huge"/> may be written before the 413 arrives: the route's limit
    /// plus what the kernel buffers on both ends of a loopback socket (up to 32 MB receive here), far
    /// below the body. A server that read (or buffered) the body before answering would be sent all of it.
    /// </summary>
    private const long SentBeforeAnswerBound = 128L * 1024 * 1024;

    [TestCase(false)]
    [TestCase(true)]
    public async Task Heartbeat_GigabyteJsonBody_413BeforeReadingIt(bool chunked)
    {
        await using var server = await DirectoryServerHost.StartAsync();
        using var cts = TaskTimeouts.Cancel();

        var post = await RawHttp1.PostHugeAsync(server.WebAddress, "/v1/nodes:heartbeat", Huge, chunked, cts.Token);

        Assert.That(post.Answer, Does.StartWith("HTTP/1.1 413"), post.Answer);
        Assert.That(post.BodyBytesSent, Is.LessThan(SentBeforeAnswerBound), "answered before the body was read");
        await Innocent.AssertServedAsync(server);
        server.DeleteData();
    }

    [Test]
    public async Task Flood_OversizedBodies_EachRefusedBeforeItsBodyArrives_AndOthersServed()
    {
        await using var server = await DirectoryServerHost.StartAsync();

        for (var i = 0; i < 20; i++)
        {
            using var cts = TaskTimeouts.Cancel();
            var chunked = i % 4 < 2;
            var post = await RawHttp1.PostHugeAsync(server.WebAddress, i % 2 == 0 ? "/v1/nodes:heartbeat" : "/v1/nodes:register", Huge, chunked, cts.Token);
            TestContext.Out.WriteLine($"body {i}: {post.BodyBytesSent / 1024} KB written before the answer");
            Assert.That(post.Answer, Does.StartWith("HTTP/1.1 413"), post.Answer);
            Assert.That(post.BodyBytesSent, Is.LessThan(SentBeforeAnswerBound), $"body {i} (chunked: {chunked}) was refused before it was read, so the server held at most what it had received");
        }

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
}
