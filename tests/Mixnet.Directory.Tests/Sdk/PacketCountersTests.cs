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
}
