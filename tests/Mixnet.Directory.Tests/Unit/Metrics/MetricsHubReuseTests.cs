using Google.Protobuf;
using System.Runtime.InteropServices;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Server.Metrics;
using Mixnet.Directory.Server.Hosting;

namespace Mixnet.Directory.Tests.Unit.Metrics;

/// <summary>The hub reuses its windows and frame arrays without letting one window or frame see another's data.</summary>
[TestFixture]
public sealed class MetricsHubReuseTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void CloseWindow_ReusedWindows_EachFrameHasOnlyItsOwnWindowsReports()
    {
        var hub = Hub(long.MaxValue);
        NodeId a = Id(1), b = Id(2);

        hub.Report(a, 10, 1);
        hub.Report(b, 20, 2);
        var first = hub.CloseWindow(Start, 2);
        hub.Report(b, 5, 0);
        var second = hub.CloseWindow(Start.AddSeconds(1), 2);
        var empty = hub.CloseWindow(Start.AddSeconds(2), 2);
        hub.Report(a, 7, 3); // the first window's counters again, zeroed
        var fourth = hub.CloseWindow(Start.AddSeconds(3), 2);

        Assert.Multiple(() =>
        {
            Assert.That(first.Nodes, Is.EqualTo(new[] { new NodeTraffic(a, 10, 1), new NodeTraffic(b, 20, 2) }));
            Assert.That(second.Nodes, Is.EqualTo(new[] { new NodeTraffic(b, 5, 0) }));
            Assert.That(empty.Nodes, Is.Empty);
            Assert.That((empty.NetworkSent, empty.NetworkReceived), Is.EqualTo((0UL, 0UL)));
            Assert.That(fourth.Nodes, Is.EqualTo(new[] { new NodeTraffic(a, 7, 3) }), "a node silent in a window is not in its frame, and counts never carry over");
            Assert.That((fourth.NetworkSent, fourth.NetworkReceived), Is.EqualTo((7UL, 3UL)));
        });
    }

    [Test]
    public void CloseWindow_FrameDroppedFromReplayButQueued_KeepsItsBytesUntilReleased()
    {
        var hub = Hub(0); // the replay keeps only the newest frame
        var subscription = hub.Subscribe(null, 0);
        var held = CloseWithCounts(hub, 0, 50, 1);
        var expected = held.UnfilteredBytes;

        // Later frames of the same size but other counts: were the held frame's array reused, its bytes would change.
        for (var i = 1; i <= 5; i++)
        {
            CloseWithCounts(hub, i, 50, (ulong)(1000 * i));
        }

        Assert.That(subscription.Reader.TryRead(out var queued), Is.True);
        Assert.That(queued, Is.SameAs(held));
        Assert.That(queued!.Unfiltered.ToArray(), Is.EqualTo(expected));
        hub.Unsubscribe(subscription);
    }

    [Test]
    public void CloseWindow_FramesLeavingTheReplay_TheirArraysCarryLaterFrames()
    {
        var hub = Hub(0);
        var first = CloseWithCounts(hub, 0, 40, 1);
        var firstArray = Array(first);
        CloseWithCounts(hub, 1, 40, 2); // the first frame leaves the replay: nobody holds it

        var third = CloseWithCounts(hub, 2, 40, 3);

        Assert.That(Array(third), Is.SameAs(firstArray), "the released frame's bytes array was reused");
        Assert.That(third.Unfiltered.ToArray(), Is.EqualTo(third.ToMessage(null).ToByteArray()), "and holds exactly the new frame");
    }

    private static byte[] Array(MetricsFrame frame) =>
        MemoryMarshal.TryGetArray(frame.Unfiltered, out var segment) ? segment.Array! : throw new InvalidOperationException("not array-backed");

    private static MetricsHub Hub(long replayBytes) =>
        new(Microsoft.Extensions.Options.Options.Create(new DirectoryOptions { MetricsReplayBytes = replayBytes }));

    private static MetricsFrame CloseWithCounts(MetricsHub hub, int window, int nodes, ulong sent)
    {
        for (var n = 0; n < nodes; n++)
        {
            hub.Report(Id(n + 1), sent, 1);
        }

        return hub.CloseWindow(Start.AddSeconds(window), (uint)nodes);
    }

    private static NodeId Id(int n)
    {
        var key = new byte[32];
        BitConverter.TryWriteBytes(key, n);
        NodeId.TryRead(key, out var id);
        return id;
    }
}
