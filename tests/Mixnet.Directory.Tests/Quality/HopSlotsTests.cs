using Google.Protobuf.Collections;
using Microsoft.Extensions.Time.Testing;
using Mixnet.Directory.Server.Quality;
using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Tests.Quality;

/// <summary>The per-node slot order a report is matched against before any lookup (<see cref="HopSlots"/>).</summary>
public sealed class HopSlotsTests
{
    private FakeTimeProvider _time = null!;
    private List<EndpointKey> _listed = null!;
    private ulong _version;
    private HopTable _table = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(DateTimeOffset.Parse("2030-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        _listed = [.. Enumerable.Range(0, 64).Select(i => new EndpointKey($"10.0.1.{i}", 1789))];
        _version = 1;
        _table = new HopTable(() => _version, () => _listed, _time, 1000);
    }

    private static string Hop(int i) => $"10.0.1.{i}:1789";

    /// <summary>A report as protobuf hands it over: fresh strings in the given order.</summary>
    private static MapField<string, ulong> Report(IEnumerable<int> hops, ulong count = 10)
    {
        var map = new MapField<string, ulong>();
        foreach (var i in hops)
        {
            map[new string(Hop(i).AsSpan())] = count;
        }

        return map;
    }

    private ulong CountOf(HopSlots slots, int hop) => slots.TryGetValue(_table.Resolve(Hop(hop)), out var count) ? count : 0;

    [Test]
    public void Add_SameHopsInTheSameOrder_OnlyTheFirstReportLooksUp()
    {
        var slots = new HopSlots();
        var hops = Enumerable.Range(0, 32).ToArray();

        slots.Add(Report(hops), _table, 4096);
        var afterFirst = slots.Stats;
        for (var r = 0; r < 5; r++)
        {
            slots.Add(Report(hops), _table, 4096);
        }

        Assert.Multiple(() =>
        {
            Assert.That(afterFirst.LookedUp, Is.EqualTo(32));
            Assert.That(slots.Stats.LookedUp, Is.EqualTo(32), "later reports matched at the cursor");
            Assert.That(slots.Stats.Matched, Is.EqualTo(5 * 32));
            Assert.That(slots.Values, Is.All.EqualTo(60UL));
        });
    }

    [Test]
    public void Add_HopMovedOmittedOrAdded_CountsRightAndOneLookupEach()
    {
        var slots = new HopSlots();
        slots.Add(Report(Enumerable.Range(0, 20)), _table, 4096);
        var before = slots.Stats.LookedUp;

        // 5 moved to the end, 9 omitted, 40 new in the middle.
        int[] changed = [0, 1, 2, 3, 4, 6, 7, 8, 40, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 5];
        var total = slots.Add(Report(changed), _table, 4096);

        Assert.Multiple(() =>
        {
            Assert.That(total, Is.EqualTo(200UL));
            Assert.That(slots.Stats.LookedUp - before, Is.LessThanOrEqualTo(4), "the move, the gap, the new hop, and the hop after it");
            Assert.That(CountOf(slots, 5), Is.EqualTo(20UL));
            Assert.That(CountOf(slots, 9), Is.EqualTo(10UL));
            Assert.That(CountOf(slots, 40), Is.EqualTo(10UL));
            Assert.That(CountOf(slots, 19), Is.EqualTo(20UL));
            Assert.That(slots.Count, Is.EqualTo(21));
        });
    }

    [Test]
    public void Add_ReportsInANewOrderEveryTime_CountsMatchADictionaryAndNoHopIsMatchedWrongly()
    {
        var slots = new HopSlots();
        var random = new Random(7);
        var expected = new Dictionary<int, ulong>();
        var hops = Enumerable.Range(0, 64).ToArray();
        for (var r = 0; r < 20; r++)
        {
            random.Shuffle(hops);
            var map = new MapField<string, ulong>();
            foreach (var i in hops)
            {
                var count = (ulong)random.Next(1, 1000);
                map[Hop(i)] = count;
                expected[i] = expected.GetValueOrDefault(i) + count;
            }

            slots.Add(map, _table, 4096);
        }

        Assert.Multiple(() =>
        {
            foreach (var (hop, count) in expected)
            {
                Assert.That(CountOf(slots, hop), Is.EqualTo(count), $"hop {hop}");
            }

            Assert.That(slots.Stats.Matched + slots.Stats.LookedUp, Is.EqualTo(20 * 64));
            Assert.That(slots.Stats.LookedUp, Is.GreaterThan(19 * 48), "a shuffled report is looked up, hop by hop, once its first hops missed");
        });
    }

    [Test]
    public void Add_ReportSplitInTwoParts_EachPartMatchesAfterItsFirstHop()
    {
        var slots = new HopSlots();
        var first = Enumerable.Range(0, 30).ToArray();
        var second = Enumerable.Range(30, 30).ToArray();
        slots.Add(Report(first), _table, 4096);
        slots.Add(Report(second), _table, 4096);
        var before = slots.Stats.LookedUp;

        for (var r = 0; r < 4; r++)
        {
            slots.Add(Report(first), _table, 4096);
            slots.Add(Report(second), _table, 4096);
        }

        Assert.That(slots.Stats.LookedUp - before, Is.LessThanOrEqualTo(4), "the second part's first hop, once per report of it");
    }

    [Test]
    public void Add_MoreDistinctHopsThanTheBound_KeepsTheFirstOnesAndCountsTheRestInTheTotalOnly()
    {
        var slots = new HopSlots();

        var total = slots.Add(Report(Enumerable.Range(0, 5)), _table, maxHops: 3);
        total += slots.Add(Report(Enumerable.Range(0, 5)), _table, maxHops: 3);

        Assert.Multiple(() =>
        {
            Assert.That(total, Is.EqualTo(100UL));
            Assert.That(slots.Count, Is.EqualTo(3));
            Assert.That(slots.Values, Is.All.EqualTo(20UL));
            Assert.That(CountOf(slots, 4), Is.Zero);
        });
    }

    [Test]
    public void Add_HopUnlistedThenListed_IgnoredUntilTheListingMovesThenCounted()
    {
        var slots = new HopSlots();
        const string newcomer = "10.0.9.9:1789";
        MapField<string, ulong> Reported() => new() { [Hop(1)] = 10, [newcomer] = 7, [Hop(2)] = 10 };

        slots.Add(Reported(), _table, 4096);
        var whileUnlisted = slots.Count;
        _listed.Add(new EndpointKey("10.0.9.9", 1789));
        _version++;
        _time.Advance(TimeSpan.FromSeconds(1));
        slots.Add(Reported(), _table, 4096);

        Assert.Multiple(() =>
        {
            Assert.That(whileUnlisted, Is.EqualTo(2), "an unlisted hop gets no slot and is not remembered as matched");
            Assert.That(slots.Count, Is.EqualTo(3));
            Assert.That(slots.TryGetValue(_table.Resolve(newcomer), out var count) ? count : 0, Is.EqualTo(7UL));
            Assert.That(CountOf(slots, 2), Is.EqualTo(20UL));
        });
    }

    [Test]
    public void Add_TwoSpellingsOfOneEndpoint_OneSlot()
    {
        _listed.Add(new EndpointKey("2001:db8::1", 1789));
        var slots = new HopSlots();

        slots.Add(new MapField<string, ulong> { ["[2001:db8::1]:1789"] = 5 }, _table, 4096);
        slots.Add(new MapField<string, ulong> { ["[2001:DB8::1]:1789"] = 6 }, _table, 4096);

        Assert.Multiple(() =>
        {
            Assert.That(slots.Count, Is.EqualTo(1));
            Assert.That(slots.Values.Single(), Is.EqualTo(11UL));
        });
    }

    [Test]
    public void TryAdd_OrderedReports_AllocateNothingPerHop()
    {
        var box = new HopCountsBox(_table);
        var hops = Enumerable.Range(0, 64).ToArray();
        box.TryAdd(640, Report(hops), Report(hops), 4096);
        var sent = Report(hops);
        var from = Report(hops);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var r = 0; r < 10; r++)
        {
            box.TryAdd(640, sent, from, 4096);
        }

        var perReport = (GC.GetAllocatedBytesForCurrentThread() - before) / 10.0;
        Assert.That(perReport, Is.LessThan(256), "bytes per report of 2 × 64 hops: the two map enumerators at most");
    }
}
