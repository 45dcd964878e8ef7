using Google.Protobuf;
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
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Unit.Metrics;

/// <summary>The hand-written frame encoder against the generated message it stands in for.</summary>
[TestFixture]
public sealed class MetricsFrameEncoderTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(500)]
    public void Encode_Unfiltered_ParsesToTheSameMessageAsTheGeneratedCode(int nodeCount)
    {
        var frame = RandomFrame(nodeCount, seed: nodeCount);

        var parsed = StreamMetricsResponse.Parser.ParseFrom(frame.Seal().UnfilteredBytes);

        Assert.That(parsed, Is.EqualTo(frame.ToMessage(null)));
        Assert.That(frame.UnfilteredBytes, Is.EqualTo(frame.ToMessage(null).ToByteArray()), "byte for byte, as protobuf would write it");
    }

    [Test]
    public void Encode_WithFilter_OnlyTheNamedNodesAndNetworkWideTotals()
    {
        var frame = RandomFrame(50, seed: 3);
        var filter = frame.Nodes.Where((_, i) => i % 7 == 0).Select(n => n.Id).ToHashSet();

        var parsed = StreamMetricsResponse.Parser.ParseFrom(frame.Encode(filter));

        Assert.That(parsed, Is.EqualTo(frame.ToMessage(filter)));
        Assert.That(parsed.Nodes, Has.Count.EqualTo(filter.Count));
        Assert.That(parsed.NetworkSent, Is.EqualTo(frame.NetworkSent));
    }

    [Test]
    public void Encode_ExtremeCounts_RoundTrip()
    {
        var id = Id(new Random(1));
        var frame = new MetricsFrame(DateTimeOffset.UnixEpoch.AddTicks(1), TimeSpan.FromTicks(1), [new NodeTraffic(id, ulong.MaxValue, 0)], ulong.MaxValue, 0, uint.MaxValue);

        var parsed = StreamMetricsResponse.Parser.ParseFrom(frame.Seal().UnfilteredBytes);

        Assert.That(parsed, Is.EqualTo(frame.ToMessage(null)));
    }

    private static MetricsFrame RandomFrame(int nodeCount, int seed)
    {
        var random = new Random(seed);
        var nodes = Enumerable.Range(0, nodeCount)
            .Select(_ => new NodeTraffic(Id(random), (ulong)random.NextInt64(0, 1L << (random.Next(1, 62))), (ulong)random.Next(0, 3) * (ulong)random.Next()))
            .OrderBy(n => n.Id)
            .ToArray();
        var end = new DateTimeOffset(2030, 5, 6, 7, 8, 9, 123, TimeSpan.Zero).AddTicks(4567);
        return new MetricsFrame(end, TimeSpan.FromMilliseconds(1500), nodes, (ulong)nodes.Sum(n => (decimal)n.Sent % 1000), 12345, (uint)nodeCount);
    }

    private static NodeId Id(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        NodeId.TryRead(bytes, out var id);
        return id;
    }
}
