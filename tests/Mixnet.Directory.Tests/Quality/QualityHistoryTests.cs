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
    public void Record_NodesInDifferentChunks_KeepTheirOwnSamples()
    {
        var history = new QualityHistory(4);
        var ids = Enumerable.Range(0, QualityHistory.RowsPerChunk + 10).Select(i => Id((ushort)i)).ToArray();
        history.Record(T0, Table([.. ids.Select((id, i) => (id, i / 1000.0))]), ids);
        history.Record(T0.AddMinutes(1), Table([.. ids.Select((id, i) => (id, (i + 1) / 1000.0))]), ids);

        Assert.Multiple(() =>
        {
            foreach (var i in new[] { 0, 1, QualityHistory.RowsPerChunk - 1, QualityHistory.RowsPerChunk, ids.Length - 1 })
            {
                Assert.That(history.Find(ids[i]).Select(s => s.Reliability), Is.EqualTo(new[] { i / 1000.0, (i + 1) / 1000.0 }), $"node {i}");
            }

            Assert.That(history.NodeCount, Is.EqualTo(ids.Length));
            Assert.That(history.RowsAllocated, Is.EqualTo(2 * QualityHistory.RowsPerChunk), "a chunk at a time");
        });
    }

    [Test]
    public void Record_ForgottenNodesRows_AreReusedByNewNodes_WithoutTheirSamples()
    {
        var history = new QualityHistory(2);
        var first = Enumerable.Range(0, 300).Select(i => Id((ushort)i)).ToArray();
        var second = Enumerable.Range(1000, 300).Select(i => Id((ushort)i)).ToArray();
        history.Record(T0, Table([.. first.Select(id => (id, 0.9))]), first);
        history.Record(T0.AddMinutes(1), Table(), []);
        history.Record(T0.AddMinutes(2), Table(), []); // a whole window without the first nodes: forgotten
        Assert.That(history.NodeCount, Is.Zero);

        history.Record(T0.AddMinutes(3), Table([.. second.Select(id => (id, 0.4))]), second);

        Assert.Multiple(() =>
        {
            Assert.That(history.RowsAllocated, Is.EqualTo(2 * QualityHistory.RowsPerChunk), "the forgotten nodes' rows are reused, not added to");
            Assert.That(history.Find(second[0]).Select(s => s.Reliability), Is.EqualTo(new[] { 0.4 }), "a reused row starts empty");
            Assert.That(history.Find(second[^1]).Select(s => s.Reliability), Is.EqualTo(new[] { 0.4 }));
            Assert.That(history.Find(first[0]), Is.Empty);
        });
    }

    [Test]
    public void Capacity_IsBoundedWhateverTheSettingsSay() =>
        Assert.That(new QualityHistory(86_400).Capacity, Is.EqualTo(QualityHistory.MaxPeriods));

    private static NodeId Id(ushort seed)
    {
        var key = new byte[32];
        key[0] = (byte)(seed >> 8);
        key[1] = (byte)seed;
        Assert.That(NodeId.TryRead(key, out var id), Is.True);
        return id;
    }

    private static ImmutableDictionary<NodeId, PublishedQuality> Table(params (NodeId Id, double Reliability)[] entries) =>
        entries.ToImmutableDictionary(e => e.Id, e => new PublishedQuality(e.Id, e.Reliability, e.Reliability, 1, false));
}
