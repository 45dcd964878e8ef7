using Mixnet.Directory.Client;
using Mixnet.Directory.Client.Internal;
using Mixnet.Directory.Validation;

namespace Mixnet.Directory.Tests.Quality;

public sealed class ReceivedFromCountingTests
{
    [Test]
    public void RecordReceived_WithAndWithoutHop_TotalCountsBothAndOnlyNamedHopsAreAttributed()
    {
        var counters = new PacketCounters();
        counters.RecordReceived("10.0.0.1:1789");
        counters.RecordReceived("10.0.0.1:1789");
        counters.RecordReceived("10.0.0.2:1789");
        counters.RecordReceived();

        var taken = counters.Take();

        Assert.That(taken.Received, Is.EqualTo(4));
        Assert.That(taken.ReceivedFrom, Is.EquivalentTo(new Dictionary<string, long> { ["10.0.0.1:1789"] = 2, ["10.0.0.2:1789"] = 1 }));
        Assert.That(counters.Take().IsEmpty, Is.True);
    }

    [Test]
    public void Restore_FailedReport_KeepsReceivedFromForTheNext()
    {
        var counters = new PacketCounters();
        counters.RecordReceived("10.0.0.1:1789");
        counters.Restore(counters.Take());

        Assert.That(counters.ReceivedFrom("10.0.0.1:1789"), Is.EqualTo(1));
        Assert.That(counters.Received, Is.EqualTo(1));
    }

    [Test]
    public void Split_ManyPreviousHops_EveryPartWithinTheLimitAndTotalOnlyInTheFirst()
    {
        var from = Enumerable.Range(0, MetricsReportLimits.MaxNextHops + 10).ToDictionary(i => $"10.0.{i >> 8}.{i & 255}:1789", _ => 2L);
        var counts = new PacketCounts(new Dictionary<string, long> { ["a:1"] = 5 }, 9999, from);

        var parts = NodeAgent.Split(counts);

        Assert.Multiple(() =>
        {
            Assert.That(parts, Has.Count.EqualTo(2));
            Assert.That(parts.All(p => p.ReceivedFrom.Count <= MetricsReportLimits.MaxNextHops && p.Sent.Count <= MetricsReportLimits.MaxNextHops), Is.True);
            Assert.That(parts.Sum(p => p.ReceivedFrom.Count), Is.EqualTo(from.Count));
            Assert.That(parts.Select(p => p.Received), Is.EqualTo(new long[] { 9999, 0 }));
            Assert.That(parts.Sum(p => p.Sent.Count), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task RecordReceived_BadHop_Refused()
    {
        using var identity = NodeIdentity.Generate();
        await using var agent = new NodeAgent(identity, Mixnet.Directory.Tests.Sdk.AgentHarness.MixnodeOptions());

        Assert.Throws<ArgumentException>(() => agent.RecordReceived(string.Empty));
        Assert.Throws<ArgumentException>(() => agent.RecordReceived(new string('h', MetricsReportLimits.MaxNextHopLength + 1)));
        agent.RecordReceived("10.0.0.1:1789");
        Assert.That(agent.Counters.ReceivedFrom("10.0.0.1:1789"), Is.EqualTo(1));
    }
}
