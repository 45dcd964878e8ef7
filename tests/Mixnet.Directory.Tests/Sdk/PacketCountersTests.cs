using Mixnet.Directory.Client.Internal;

namespace Mixnet.Directory.Tests.Sdk;

public sealed class PacketCountersTests
{
    [Test]
    public async Task RecordSent_ManyTasksWhileTaking_NoCountLostOrDoubled()
    {
        var counters = new PacketCounters();
        const int tasks = 16;
        const int perTask = 20_000;
        string[] hops = ["10.0.0.1:1789", "10.0.0.2:1789", "[2001:db8::1]:1789", "10.0.0.4:1789"];
        var taken = new Dictionary<string, long>();
        long takenReceived = 0;
        using var done = new CancellationTokenSource();

        void Drain()
        {
            var counts = counters.Take();
            takenReceived += counts.Received;
            foreach (var (hop, n) in counts.Sent)
            {
                taken[hop] = taken.GetValueOrDefault(hop) + n;
            }
        }

        var reporter = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                Drain();
            }
        });
        await Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < perTask; i++)
            {
                counters.RecordSent(hops[(i + t) % hops.Length]);
                counters.RecordReceived();
            }
        })));
        await done.CancelAsync();
        await reporter.WaitAsync(TimeSpan.FromSeconds(15));
        Drain();

        Assert.That(taken.Values.Sum(), Is.EqualTo((long)tasks * perTask));
        Assert.That(takenReceived, Is.EqualTo((long)tasks * perTask));
        Assert.That(taken.Keys, Is.EquivalentTo(hops));
        Assert.That(taken.Values, Has.All.EqualTo((long)tasks * perTask / hops.Length));
    }

    [Test]
    public void Restore_AfterTake_CountsAddToNewOnes()
    {
        var counters = new PacketCounters();
        counters.RecordSent("a:1");
        counters.RecordSent("a:1");
        counters.RecordReceived();
        var failed = counters.Take();
        counters.RecordSent("a:1");
        counters.RecordSent("b:2");

        counters.Restore(failed);

        var next = counters.Take();
        Assert.That(next.Sent["a:1"], Is.EqualTo(3));
        Assert.That(next.Sent["b:2"], Is.EqualTo(1));
        Assert.That(next.Received, Is.EqualTo(1));
        Assert.That(counters.Take().IsEmpty, Is.True);
    }

    [Test]
    public void Take_HopIdleForSeveralReports_ItsCounterIsDropped()
    {
        var counters = new PacketCounters();
        counters.RecordSent("gone:1");
        counters.RecordSent("busy:1");
        Assert.That(counters.Take().Sent.Keys, Is.EquivalentTo(new[] { "gone:1", "busy:1" }));

        for (var i = 0; i < PacketCounters.IdleTakesBeforePrune; i++)
        {
            counters.RecordSent("busy:1");
            Assert.That(counters.TrackedHops, Is.EqualTo(2), "an idle hop is kept for a few reports");
            counters.Take();
        }

        Assert.That(counters.TrackedHops, Is.EqualTo(1), "only the hop that still sees traffic keeps a counter");
        counters.RecordSent("gone:1");
        Assert.That(counters.Take().Sent["gone:1"], Is.EqualTo(1), "a dropped hop counts again from its next packet");
    }

    [Test]
    public async Task RecordSent_ManyShortLivedHopsWhileTaking_NoCountLostAndIdleHopsDropped()
    {
        var counters = new PacketCounters();
        const int tasks = 8;
        const int perTask = 20_000;
        long taken = 0;
        using var done = new CancellationTokenSource();
        var reporter = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                taken += counters.Take().Sent.Values.Sum();
            }
        });

        // Each hop gets a burst and is then left idle, so boxes are retired while others are recorded into.
        await Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < perTask; i++)
            {
                counters.RecordSent($"10.{t}.{i / 100}.1:1789");
            }
        })));
        await done.CancelAsync();
        await reporter.WaitAsync(TimeSpan.FromSeconds(15));
        for (var i = 0; i <= PacketCounters.IdleTakesBeforePrune; i++)
        {
            taken += counters.Take().Sent.Values.Sum();
        }

        Assert.That(taken, Is.EqualTo((long)tasks * perTask));
        Assert.That(counters.TrackedHops, Is.Zero, "every hop went idle, so none keeps a counter");
    }
}
