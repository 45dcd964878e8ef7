using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Mixnet.Directory.Server.Metrics;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Integration;

/// <summary>
/// MetricsService over a real Kestrel. Windows are closed by the test through the hub, so frames
/// are exact and nothing waits on wall-clock windows (the ticker's window is set to an hour).
/// </summary>
[TestFixture]
public sealed class MetricsIntegrationTests : DirectoryFixture
{
    private MetricsHub _hub = null!;

    [SetUp]
    public async Task SetUp()
    {
        // One test opens 200 subscribers from 127.0.0.1 at once: above the default per-IP share.
        await StartDirectoryAsync(new Dictionary<string, string?>
        {
            ["Directory:MetricsWindow"] = "01:00:00",
            ["Directory:MaxStreamsPerIp"] = "500",
            ["Directory:RateLimits:StreamOpenBurstPerIp"] = "500",
        });
        _hub = Server.Services.GetRequiredService<MetricsHub>();
    }

    [Test]
    public async Task StreamMetrics_AfterReports_FrameCarriesExactlyWhatWasReported()
    {
        using var a = await RegisterAsync();
        using var b = await RegisterAsync();
        using var cts = TaskTimeouts.Cancel();
        using var stream = Clients.Metrics.StreamMetrics(new StreamMetricsRequest(), cancellationToken: cts.Token);
        await Server.WaitForSubscribersAsync(1);

        await Server.ReportAsync(a, received: 7, ("10.0.0.1:1789", 3), ("10.0.0.2:1789", 4));
        await Server.ReportAsync(b, received: 11, ("10.0.0.3:1789", 5));
        await Server.ReportAsync(a, received: 1, ("10.0.0.1:1789", 1));
        _hub.CloseWindow(DateTimeOffset.UtcNow, 2);

        Assert.That(await stream.ResponseStream.MoveNext(cts.Token), Is.True);
        var frame = stream.ResponseStream.Current;
        var byNode = frame.Nodes.ToDictionary(n => n.IdentityKey, n => (n.Sent, n.Received));
        Assert.That(byNode[a.IdentityKey], Is.EqualTo((8UL, 8UL)));
        Assert.That(byNode[b.IdentityKey], Is.EqualTo((5UL, 11UL)));
        Assert.That(frame.NetworkSent, Is.EqualTo(13UL));
        Assert.That(frame.NetworkReceived, Is.EqualTo(19UL));
        Assert.That(frame.LiveNodes, Is.EqualTo(2u));
        Assert.That(frame.DroppedFrames, Is.Zero);
        Assert.That(frame.Window.ToTimeSpan(), Is.EqualTo(TimeSpan.FromHours(1)));
    }

    [Test]
    public async Task StreamMetrics_WithFilter_OnlyNamedNodesButNetworkWideTotals()
    {
        using var a = await RegisterAsync();
        using var b = await RegisterAsync();
        using var cts = TaskTimeouts.Cancel();
        using var stream = Clients.Metrics.StreamMetrics(new StreamMetricsRequest { IdentityKeys = { b.IdentityKey } }, cancellationToken: cts.Token);
        await Server.WaitForSubscribersAsync(1);

        await Server.ReportAsync(a, received: 2, ("h:1", 2));
        await Server.ReportAsync(b, received: 3, ("h:1", 4));
        _hub.CloseWindow(DateTimeOffset.UtcNow, 2);

        Assert.That(await stream.ResponseStream.MoveNext(cts.Token), Is.True);
        var frame = stream.ResponseStream.Current;
        Assert.That(frame.Nodes.Select(n => n.IdentityKey), Is.EqualTo(new[] { b.IdentityKey }));
        Assert.That(frame.NetworkSent, Is.EqualTo(6UL));
    }

    [Test]
    public async Task StreamMetrics_ReplayFrames_RecentHistoryFirstOldestFirst()
    {
        using var a = await RegisterAsync();
        for (ulong i = 1; i <= 5; i++)
        {
            await Server.ReportAsync(a, received: i);
            _hub.CloseWindow(DateTimeOffset.UtcNow, 1);
        }

        using var cts = TaskTimeouts.Cancel();
        using var stream = Clients.Metrics.StreamMetrics(new StreamMetricsRequest { ReplayFrames = 3 }, cancellationToken: cts.Token);
        var received = new List<ulong>();
        for (var i = 0; i < 3; i++)
        {
            Assert.That(await stream.ResponseStream.MoveNext(cts.Token), Is.True);
            received.Add(stream.ResponseStream.Current.NetworkReceived);
        }

        Assert.That(received, Is.EqualTo(new ulong[] { 3, 4, 5 }));
    }

    [Test]
    public async Task StreamMetrics_SlowSubscriber_LosesCountedFramesWhileFastOneLosesNone()
    {
        using var cts = TaskTimeouts.Cancel(TimeSpan.FromSeconds(60));
        using var slow = Clients.Metrics.StreamMetrics(new StreamMetricsRequest(), cancellationToken: cts.Token);
        using var fast = Clients.Metrics.StreamMetrics(new StreamMetricsRequest(), cancellationToken: cts.Token);
        await Server.WaitForSubscribersAsync(2);

        // Frames big enough (50 nodes, ~2 KB) that the never-read slow stream fills its transport
        // window and its queue of 16 long before 200 frames have been offered.
        var nodes = new List<TestNode>();
        for (var i = 0; i < 50; i++)
        {
            nodes.Add(await RegisterAsync());
        }

        const int frames = 200;
        for (var i = 0; i < frames; i++)
        {
            foreach (var node in nodes)
            {
                Mixnet.Directory.Server.Registry.NodeId.TryRead(node.IdentityKey.Span, out var id);
                _hub.Report(id, 1, 1);
            }

            _hub.CloseWindow(DateTimeOffset.UtcNow, (uint)nodes.Count);

            // The fast subscriber reads each frame before the next window closes.
            Assert.That(await fast.ResponseStream.MoveNext(cts.Token), Is.True);
            Assert.That(fast.ResponseStream.Current.DroppedFrames, Is.Zero, $"frame {i}: a subscriber that keeps up drops nothing");
            Assert.That(fast.ResponseStream.Current.Nodes, Has.Count.EqualTo(50));
        }

        ulong lastDropped = 0;
        var delivered = 0;
        while ((ulong)delivered + lastDropped < frames && await slow.ResponseStream.MoveNext(cts.Token))
        {
            delivered++;
            lastDropped = slow.ResponseStream.Current.DroppedFrames;
        }

        Assert.That(lastDropped, Is.GreaterThan(0UL), "the slow subscriber was told it lost frames");
        Assert.That((ulong)delivered + lastDropped, Is.EqualTo((ulong)frames), "every frame was either delivered or counted as dropped");
        nodes.ForEach(n => n.Dispose());
    }

    [Test]
    public async Task StreamMetrics_TwoHundredSubscribersComeAndGo_NoneLeftBehind()
    {
        var calls = new List<AsyncServerStreamingCall<StreamMetricsResponse>>();
        var tokens = new List<CancellationTokenSource>();
        for (var i = 0; i < 200; i++)
        {
            var cts = TaskTimeouts.Cancel();
            tokens.Add(cts);
            calls.Add(Clients.Metrics.StreamMetrics(new StreamMetricsRequest { ReplayFrames = 2 }, cancellationToken: cts.Token));
        }

        await Server.WaitForSubscribersAsync(200);
        foreach (var cts in tokens)
        {
            await cts.CancelAsync();
        }

        calls.ForEach(c => c.Dispose());
        await Server.WaitForSubscribersAsync(0);
        tokens.ForEach(t => t.Dispose());
        Assert.That(_hub.SubscriberCount, Is.Zero);
    }

    [TestCase("identity_key")]
    [TestCase("lease_token")]
    [TestCase("sent_key")]
    [TestCase("sent_count")]
    [TestCase("too_many_hops")]
    public async Task ReportMetrics_BadInput_InvalidArgumentAndNothingCounted(string broken)
    {
        using var node = await RegisterAsync();
        var request = new ReportMetricsRequest { IdentityKey = node.IdentityKey, LeaseToken = node.LeaseToken, Received = 5 };
        var field = broken;
        switch (broken)
        {
            case "identity_key": request.IdentityKey = ByteString.CopyFrom(new byte[3]); break;
            case "lease_token": request.LeaseToken = ByteString.Empty; break;
            case "sent_key": request.Sent.Add(new string('x', 300), 1); field = "sent"; break;
            case "sent_count": request.Sent.Add("h:1", ulong.MaxValue); field = "sent"; break;
            case "too_many_hops":
                for (var i = 0; i < 1025; i++)
                {
                    request.Sent.Add($"h{i}:1", 1);
                }

                field = "sent";
                break;
        }

        var ex = Assert.ThrowsAsync<RpcException>(() => Clients.Metrics.ReportMetricsAsync(request).ResponseAsync.Within());

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Does.StartWith(field));
        Assert.That(_hub.CloseWindow(DateTimeOffset.UtcNow, 1).NetworkReceived, Is.Zero);
    }

    [Test]
    public async Task ReportMetrics_WrongToken_UnauthenticatedAndUnknownNotFound()
    {
        using var node = await RegisterAsync();
        using var stranger = new TestNode();
        var wrong = Clients.Metrics.ReportMetricsAsync(new ReportMetricsRequest { IdentityKey = node.IdentityKey, LeaseToken = ByteString.CopyFrom(new byte[32]), Received = 1 });
        var unknown = Clients.Metrics.ReportMetricsAsync(new ReportMetricsRequest { IdentityKey = stranger.IdentityKey, LeaseToken = ByteString.CopyFrom(new byte[32]), Received = 1 });

        Assert.That(Assert.ThrowsAsync<RpcException>(() => wrong.ResponseAsync.Within())!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
        Assert.That(Assert.ThrowsAsync<RpcException>(() => unknown.ResponseAsync.Within())!.StatusCode, Is.EqualTo(StatusCode.NotFound));
        Assert.That(_hub.CloseWindow(DateTimeOffset.UtcNow, 1).NetworkReceived, Is.Zero);
    }

    [Test]
    public async Task ReportMetrics_SmallNetwork_NextReportInIsOneWindow()
    {
        using var node = await RegisterAsync();
        var response = await Clients.Metrics.ReportMetricsAsync(new ReportMetricsRequest { IdentityKey = node.IdentityKey, LeaseToken = node.LeaseToken }).ResponseAsync.Within();
        Assert.That(response.NextReportIn.ToTimeSpan(), Is.EqualTo(TimeSpan.FromHours(1)));
    }

    private async Task<TestNode> RegisterAsync()
    {
        var node = new TestNode();
        var lease = await Clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();
        node.LeaseToken = lease.LeaseToken;
        return node;
    }
}
