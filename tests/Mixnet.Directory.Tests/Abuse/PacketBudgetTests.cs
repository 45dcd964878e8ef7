using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Abuse;

/// <summary>NodeRecord's packet budget: at most the cap times the time a report covers, since registration, at most one interval back.</summary>
public sealed class PacketBudgetTests
{
    private static readonly DateTimeOffset Registered = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly long Interval = TimeSpan.FromSeconds(10).Ticks;

    [Test]
    public void TryClaimPackets_RightAfterRegistering_OnlyWhatTheElapsedTimeAllows()
    {
        var record = Record();
        var now = Registered.AddSeconds(2).UtcTicks;

        Assert.That(record.TryClaimPackets(now, 2_001, 1_000, Interval), Is.False, "2 s at 1,000/s");
        Assert.That(record.TryClaimPackets(now, 2_000, 1_000, Interval), Is.True);
        Assert.That(record.TryClaimPackets(now, 1, 1_000, Interval), Is.False, "spent");
    }

    [Test]
    public void TryClaimPackets_LongSilence_AtMostOneIntervalWorth()
    {
        var record = Record();
        var now = Registered.AddHours(1).UtcTicks;

        Assert.That(record.TryClaimPackets(now, 10_001, 1_000, Interval), Is.False, "an hour of silence does not bank an hour of packets");
        Assert.That(record.TryClaimPackets(now, 10_000, 1_000, Interval), Is.True);
        Assert.That(record.TryClaimPackets(now + TimeSpan.FromSeconds(1).Ticks, 1_000, 1_000, Interval), Is.True, "refills at the cap");
    }

    [Test]
    public void TryClaimPackets_HugeClaim_RefusedWithoutOverflow()
    {
        var record = Record();

        Assert.That(record.TryClaimPackets(Registered.AddHours(1).UtcTicks, ulong.MaxValue, 1, Interval), Is.False);
        Assert.That(record.TryClaimPackets(Registered.AddHours(1).UtcTicks, 10, 1, Interval), Is.True, "the refusal spent nothing");
    }

    private static NodeRecord Record()
    {
        var descriptor = new NodeDescriptor
        {
            IdentityKey = ByteString.CopyFrom(new byte[32]),
            SphinxKey = ByteString.CopyFrom(new byte[32]),
            Role = NodeRole.Mixnode,
            Layer = 1,
            Host = "127.0.0.1",
            MixPort = 7000,
            Version = "1.0.0",
            SignedAt = Timestamp.FromDateTimeOffset(Registered),
        };
        NodeId.TryRead(descriptor.IdentityKey.Span, out var id);
        return new NodeRecord(id, descriptor, new byte[32], Registered);
    }
}
