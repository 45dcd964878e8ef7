using System.Collections.Immutable;
using Mixnet.Directory.Server.Quality;
using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Tests.Quality;

/// <summary>The per-period reliability history GetNode returns: bounded to the window, gaps left out, absent nodes forgotten.</summary>
public sealed class QualityHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 0, 0, TimeSpan.Zero);

    [Test]
    public void Find_KeepsTheLastCapacityPeriods_OldestFirst_WithoutThePeriodsTheNodeWasNotListed()
    {
        var history = new QualityHistory(3);
        var a = Id(1);
        var b = Id(2);
        history.Record(T0, Table((a, 0.1), (b, 1)), [a, b]);
        history.Record(T0.AddMinutes(1), Table((a, 0.2), (b, 1)), [a, b]);
        history.Record(T0.AddMinutes(2), Table((a, 0.3), (b, 1)), [b]); // a scored but not listed: no point
        history.Record(T0.AddMinutes(3), Table((a, 0.4), (b, 1)), [a, b]);

        var samples = history.Find(a);
        Assert.That(samples.Select(s => s.Reliability), Is.EqualTo(new[] { 0.2, 0.4 }));
        Assert.That(samples.Select(s => s.At.ToDateTimeOffset()), Is.EqualTo(new[] { T0.AddMinutes(1), T0.AddMinutes(3) }));
        Assert.That(history.Find(b), Has.Count.EqualTo(3), "never more than the window's periods");
        Assert.That(history.Find(Id(3)), Is.Empty);
    }

    [Test]
    public void Record_ANodeAbsentForAWholeWindow_IsForgotten()
    {
        var history = new QualityHistory(2);
        var a = Id(1);
        var b = Id(2);
        history.Record(T0, Table((a, 0.5), (b, 0.5)), [a, b]);
        history.Record(T0.AddMinutes(1), Table((b, 0.5)), [b]);
        Assert.That(history.Find(a).Select(s => s.Reliability), Is.EqualTo(new[] { 0.5 }));

        history.Record(T0.AddMinutes(2), Table((b, 0.5)), [b]);
        Assert.That(history.Find(a), Is.Empty);
        history.Record(T0.AddMinutes(3), Table((a, 0.7), (b, 0.5)), [a, b]);
        Assert.That(history.Find(a).Select(s => s.Reliability), Is.EqualTo(new[] { 0.7 }), "a returning node starts afresh");
    }

    [Test]
    public void Capacity_IsBoundedWhateverTheSettingsSay() =>
        Assert.That(new QualityHistory(86_400).Capacity, Is.EqualTo(QualityHistory.MaxPeriods));

    private static NodeId Id(byte seed)
    {
        var key = new byte[32];
        key[0] = seed;
        Assert.That(NodeId.TryRead(key, out var id), Is.True);
        return id;
    }

    private static ImmutableDictionary<NodeId, PublishedQuality> Table(params (NodeId Id, double Reliability)[] entries) =>
        entries.ToImmutableDictionary(e => e.Id, e => new PublishedQuality(e.Id, e.Reliability, e.Reliability, 1, false));
}
