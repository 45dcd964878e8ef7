using Mixnet.Directory.Server.Admin;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Hosting;
using Mixnet.Directory.Server.Keys;
using Mixnet.Directory.Server.Limits;
using Mixnet.Directory.Server.Metrics;
using Mixnet.Directory.Server.Presence;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Server.Telemetry;
using Mixnet.Directory.Server.Topology;

namespace Mixnet.Directory.Tests.Unit.Metrics;

/// <summary>The replay kept by the hub: bounded in frames and in bytes, newest frames kept.</summary>
[TestFixture]
public sealed class MetricsHubReplayTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void CloseWindow_ReplayOverTheByteBound_OldestFramesDroppedNewestKept()
    {
        // Measure one 200-node frame, then allow room for three of them.
        var probe = Hub(long.MaxValue);
        var frameBytes = CloseWithNodes(probe, 200, 0).RetainedBytes;
        var hub = Hub(frameBytes * 3);

        var closed = Enumerable.Range(0, 10).Select(i => CloseWithNodes(hub, 200, i)).ToList();

        Assert.That(hub.ReplayFrameCount, Is.EqualTo(3));
        var replayed = Drain(hub.Subscribe(null, MetricsHub.MaxReplayFrames));
        Assert.That(replayed.Select(f => f.WindowEnd), Is.EqualTo(closed.TakeLast(3).Select(f => f.WindowEnd)), "the newest three, oldest first");
    }

    [Test]
    public void CloseWindow_ZeroBytes_OnlyTheLatestFrameIsKept()
    {
        var hub = Hub(0);

        var closed = Enumerable.Range(0, 4).Select(i => CloseWithNodes(hub, 10, i)).ToList();

        Assert.That(hub.ReplayFrameCount, Is.EqualTo(1));
        Assert.That(Drain(hub.Subscribe(null, 5)).Single().WindowEnd, Is.EqualTo(closed[^1].WindowEnd));
    }

    [Test]
    public void CloseWindow_SmallFrames_FrameCountBoundStillApplies()
    {
        var hub = Hub(64L * 1024 * 1024);

        for (var i = 0; i < MetricsHub.MaxReplayFrames + 5; i++)
        {
            CloseWithNodes(hub, 1, i);
        }

        Assert.That(hub.ReplayFrameCount, Is.EqualTo(MetricsHub.MaxReplayFrames));
    }

    [Test]
    public void Subscribe_AskingForMoreThanIsKept_QueueIsWhatWasReplayedPlusTheSlack()
    {
        var probe = Hub(long.MaxValue);
        var hub = Hub(CloseWithNodes(probe, 50, 0).RetainedBytes * 2);
        for (var i = 0; i < 5; i++)
        {
            CloseWithNodes(hub, 50, i);
        }

        var subscription = hub.Subscribe(null, MetricsHub.MaxReplayFrames);
        const int offeredWhileStalled = 30;
        for (var i = 0; i < offeredWhileStalled; i++)
        {
            CloseWithNodes(hub, 50, 100 + i);
        }

        var queued = Drain(subscription);
        Assert.That(queued, Has.Count.EqualTo(2 + MetricsHub.QueueSlack), "two replayed frames plus the slack, not 300 plus the slack");
        Assert.That(subscription.DroppedFrames, Is.EqualTo((ulong)(2 + offeredWhileStalled - queued.Count)));
    }

    private static MetricsHub Hub(long replayBytes) =>
        new(Microsoft.Extensions.Options.Options.Create(new DirectoryOptions { MetricsReplayBytes = replayBytes }));

    private static MetricsFrame CloseWithNodes(MetricsHub hub, int nodes, int window)
    {
        for (var n = 0; n < nodes; n++)
        {
            var key = new byte[32];
            BitConverter.TryWriteBytes(key, n + 1);
            NodeId.TryRead(key, out var id);
            hub.Report(id, (ulong)(n + 1), 1); // the same counts every window: every frame is the same size
        }

        return hub.CloseWindow(Start.AddSeconds(window), (uint)nodes);
    }

    private static List<MetricsFrame> Drain(MetricsSubscription subscription)
    {
        var frames = new List<MetricsFrame>();
        while (subscription.Reader.TryRead(out var frame))
        {
            frames.Add(frame);
        }

        return frames;
    }
}
