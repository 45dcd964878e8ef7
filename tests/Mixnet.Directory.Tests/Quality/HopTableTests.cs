using Google.Protobuf.Collections;
using Microsoft.Extensions.Time.Testing;
using Mixnet.Directory.Server.Quality;
using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Tests.Quality;

public sealed class HopTableTests
{
    private FakeTimeProvider _time = null!;
    private List<EndpointKey> _listed = null!;
    private ulong _version;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(DateTimeOffset.Parse("2030-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        _listed = [new("10.0.0.1", 1789), new("2001:db8::1", 1789)];
        _version = 1;
    }

    private HopTable NewTable(int capacity = 100) => new(() => _version, () => _listed, _time, capacity);

    [Test]
    public void Resolve_SpellingsOfOneEndpoint_OneNumber()
    {
        var table = NewTable();

        var plain = table.Resolve("[2001:db8::1]:1789");
        var upper = table.Resolve("[2001:DB8::1]:1789");

        Assert.Multiple(() =>
        {
            Assert.That(plain, Is.GreaterThanOrEqualTo(0));
            Assert.That(upper, Is.EqualTo(plain));
            Assert.That(table.Resolve("10.0.0.1:1789"), Is.Not.EqualTo(plain));
            Assert.That(table.Count, Is.EqualTo(2));
        });
    }

    [Test]
    public void Resolve_UnlistedOrMalformedHop_MinusOneAndNotNumbered()
    {
        var table = NewTable();

        Assert.Multiple(() =>
        {
            Assert.That(table.Resolve("10.0.0.9:1789"), Is.EqualTo(-1));
            Assert.That(table.Resolve("not a hop"), Is.EqualTo(-1));
            Assert.That(table.Count, Is.Zero);
        });
    }

    [Test]
    public void Resolve_NodeJoinsAfterAMiss_ResolvedOnceTheMembershipMovedAndASecondPassed()
    {
        var table = NewTable();
        Assert.That(table.Resolve("10.0.0.9:1789"), Is.EqualTo(-1));

        _listed.Add(new EndpointKey("10.0.0.9", 1789));
        _version++;
        var withinTheSecond = table.Resolve("10.0.0.9:1789");
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Multiple(() =>
        {
            Assert.That(withinTheSecond, Is.EqualTo(-1), "the listing is rebuilt at most once a second");
            Assert.That(table.Resolve("10.0.0.9:1789"), Is.GreaterThanOrEqualTo(0));
        });
    }

    [Test]
    public void Slots_MapNumbersToListedNodesAtTick()
    {
        var table = NewTable();
        var first = table.Resolve("10.0.0.1:1789");
        var second = table.Resolve("[2001:db8::1]:1789");
        var nodes = new List<QualityNode> { new(default, new EndpointKey("2001:db8::1", 1789), true) }; // 10.0.0.1 left

        var slots = table.Slots(nodes);

        Assert.Multiple(() =>
        {
            Assert.That(slots[second], Is.Zero);
            Assert.That(slots[first], Is.EqualTo(-1));
        });
    }

    [Test]
    public void Resolve_TableFull_FurtherEndpointsNotNumbered()
    {
        var table = NewTable(capacity: 1);

        table.Resolve("10.0.0.1:1789");

        Assert.Multiple(() =>
        {
            Assert.That(table.Resolve("[2001:db8::1]:1789"), Is.EqualTo(-1));
            Assert.That(table.NearlyFull, Is.True);
        });
    }

    [Test]
    public void TryAdd_KnownHops_AllocatesNothingPerHop()
    {
        for (var i = 2; i < 200; i++)
        {
            _listed.Add(new EndpointKey($"10.0.1.{i}", 1789));
        }

        var box = new HopCountsBox(NewTable(1000));
        var sent = new MapField<string, ulong>();
        var from = new MapField<string, ulong>();
        for (var i = 2; i < 200; i++)
        {
            sent[$"10.0.1.{i}:1789"] = 10;
            from[$"10.0.1.{i}:1789"] = 10;
        }

        box.TryAdd(1980, sent, from, 4096); // first report: hops interned, boxes sized
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var r = 0; r < 10; r++)
        {
            box.TryAdd(1980, sent, from, 4096);
        }

        var perReport = (GC.GetAllocatedBytesForCurrentThread() - before) / 10.0;
        Assert.Multiple(() =>
        {
            Assert.That(perReport, Is.LessThan(256), "bytes per report of 2 × 198 hops: the two map enumerators at most");
            Assert.That(box.Sent.Values, Is.All.EqualTo(110UL));
            Assert.That(box.SentTotal, Is.EqualTo(198UL * 110));
        });
    }
}
