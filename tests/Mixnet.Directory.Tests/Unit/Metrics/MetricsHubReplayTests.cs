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

/// <summary>
/// The replay kept by the hub: the totals of the last 300 windows, per-node detail only for the
/// newest frames (bounded in frames and in bytes), newest detail kept.
/// </summary>
[TestFixture]
public sealed class MetricsHubReplayTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void CloseWindow_DetailOverTheByteBound_OlderFramesKeepTotalsOnly()
    {
        // Measure one 200-node frame, then allow room for three of them.
        var probe = Hub(long.MaxValue);
        var frameBytes = CloseWithNodes(probe, 200, 0).RetainedBytes;
        var hub = Hub(frameBytes * 3);

        var closed = Enumerable.Range(0, 10).Select(i => CloseWithNodes(hub, 200, i)).ToList();

        Assert.That((hub.ReplayFrameCount, hub.ReplayDetailFrameCount), Is.EqualTo((10, 3)));
        var replayed = Drain(hub.Subscribe(null, MetricsHub.MaxReplayFrames));
        Assert.Multiple(() =>
        {
            Assert.That(replayed.Select(f => f.WindowEnd), Is.EqualTo(closed.Select(f => f.WindowEnd)), "every window, oldest first");
            Assert.That(replayed.Select(f => f.Nodes.Count), Is.EqualTo(Enumerable.Repeat(0, 7).Concat(Enumerable.Repeat(200, 3))), "nodes only in the newest three");
            Assert.That(replayed.Select(f => (f.NetworkSent, f.NetworkReceived, f.LiveNodes)), Is.EqualTo(closed.Select(f => (f.NetworkSent, f.NetworkReceived, f.LiveNodes))), "totals kept for all");
            Assert.That(hub.ReplayBytes, Is.LessThan(frameBytes * 4), "seven totals-only frames cost less than one detailed frame");
        });
    }

    [Test]
    public void CloseWindow_DetailFrameBound_OnlyTheNewestFramesKeepTheirNodes()
    {
        var hub = Hub(long.MaxValue, detailFrames: 4);

        var closed = Enumerable.Range(0, 20).Select(i => CloseWithNodes(hub, 30, i)).ToList();

        var replayed = Drain(hub.Subscribe(null, 6));
        Assert.Multiple(() =>
        {
            Assert.That(replayed.Select(f => f.WindowEnd), Is.EqualTo(closed.TakeLast(6).Select(f => f.WindowEnd)));
            Assert.That(replayed.Select(f => f.Nodes.Count), Is.EqualTo(new[] { 0, 0, 30, 30, 30, 30 }));
        });
    }

    [Test]
    public void CloseWindow_TotalsOnlyFrame_WireFormIsTheFrameWithoutNodes()
    {
        var hub = Hub(long.MaxValue, detailFrames: 1);
        var first = CloseWithNodes(hub, 20, 0);
        var expected = first.ToMessage(null);
        expected.Nodes.Clear();
        CloseWithNodes(hub, 20, 1);

        var replayed = Drain(hub.Subscribe(null, 2));

        Assert.That(Mixnet.Directory.V1.StreamMetricsResponse.Parser.ParseFrom(replayed[0].UnfilteredBytes), Is.EqualTo(expected));
    }

    [Test]
    public void CloseWindow_ZeroBytes_OnlyTheLatestFrameKeepsItsNodes()
    {
        var hub = Hub(0);

        var closed = Enumerable.Range(0, 4).Select(i => CloseWithNodes(hub, 10, i)).ToList();

        Assert.That(hub.ReplayDetailFrameCount, Is.EqualTo(1));
        var replayed = Drain(hub.Subscribe(null, 5));
        Assert.That(replayed.Select(f => (f.WindowEnd, f.Nodes.Count)), Is.EqualTo(closed.Select((f, i) => (f.WindowEnd, i == 3 ? 10 : 0))));
    }

    [Test]
    public void CloseWindow_SmallFrames_FrameCountBoundStillApplies()
    {
        var hub = Hub(64L * 1024 * 1024, detailFrames: MetricsHub.MaxReplayFrames);

        for (var i = 0; i < MetricsHub.MaxReplayFrames + 5; i++)
        {
            CloseWithNodes(hub, 1, i);
        }

        Assert.That((hub.ReplayFrameCount, hub.ReplayDetailFrameCount), Is.EqualTo((MetricsHub.MaxReplayFrames, MetricsHub.MaxReplayFrames)));
    }

    [Test]
    public void Subscribe_AskingForMoreThanIsKept_QueueIsTheDetailedReplayPlusTheSlack()
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
        Assert.Multiple(() =>
        {
            Assert.That(queued.Take(3).Select(f => f.Nodes.Count), Is.All.EqualTo(0), "the three totals-only frames first, never dropped");
            Assert.That(queued.Skip(3).ToList(), Has.Count.EqualTo(2 + MetricsHub.QueueSlack), "two detailed frames plus the slack, not 300 plus the slack");
            Assert.That(subscription.DroppedFrames, Is.EqualTo((ulong)(2 + offeredWhileStalled - (queued.Count - 3))));
        });
    }

    private static MetricsHub Hub(long replayBytes, int detailFrames = MetricsHub.MaxReplayFrames) =>
        new(Microsoft.Extensions.Options.Options.Create(new DirectoryOptions { MetricsReplayBytes = replayBytes, MetricsReplayDetailFrames = detailFrames }));

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
