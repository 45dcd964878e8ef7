using CsCheck;
using Google.Protobuf;
using Mixnet.Directory.Fuzz;
using Mixnet.Directory.V1;
using Mixnet.Directory.Validation;

namespace Mixnet.Directory.Tests.Property;

public sealed class MetricsReportPropertyTests
{
    private const ulong Max = MetricsReportLimits.MaxCount;

    // Counts cluster around the limit, where the rules bite.
    private static readonly Gen<ulong> Count = Gen.Frequency(
        (4, (IGen<ulong>)Gen.ULong[0, 1_000]),
        (2, Gen.ULong[Max - 2, Max + 2]),
        (1, Gen.ULong[Max / 2, Max]),
        (1, Gen.ULong));

    private static readonly Gen<string> Hop = Gen.Frequency(
        (6, (IGen<string>)Gen.Char["0123456789.:[]abcdef"].Array[1, 30].Select(c => new string(c))),
        (1, Gen.OneOf(string.Empty, new string('h', MetricsReportLimits.MaxNextHopLength), new string('h', MetricsReportLimits.MaxNextHopLength + 1))));

    private static readonly Gen<ReportMetricsRequest> Report = Gen.Select(
        Gen.Frequency((8, (IGen<int>)Gen.Const(32)), (1, Gen.Int[0, 64])),
        Gen.Frequency((8, (IGen<int>)Gen.Const(32)), (1, Gen.Int[0, 64])),
        Count,
        Gen.Select(Hop, Count).Array[0, 8],
        Gen.Select(Hop, Count).Array[0, 8],
        Gen.Frequency((20, (IGen<int>)Gen.Const(0)), (1, Gen.Int[MetricsReportLimits.MaxNextHops - 1, MetricsReportLimits.MaxNextHops + 1])),
        (identity, token, received, sent, receivedFrom, filler) =>
        {
            var request = new ReportMetricsRequest
            {
                IdentityKey = ByteString.CopyFrom(new byte[identity]),
                LeaseToken = ByteString.CopyFrom(new byte[token]),
                Received = received,
            };
            foreach (var (hop, count) in sent)
            {
                request.Sent[hop] = count;
            }

            foreach (var (hop, count) in receivedFrom)
            {
                request.ReceivedFrom[hop] = count;
            }

            // Many next (or, for odd fillers, previous) hops, to reach MaxNextHops from either side.
            var hops = filler % 2 == 0 ? request.Sent : request.ReceivedFrom;
            for (var i = 0; hops.Count < filler; i++)
            {
                hops[$"10.{i / 65_536}.{i / 256 % 256}.{i % 256}:1"] = 1;
            }

            return request;
        });

    [Test]
    public void Validate_RandomReport_AcceptedExactlyWhenWithinEveryLimitElseNamesTheField() =>
        Report.Sample(request =>
        {
            var error = MetricsReportRules.Validate(request, out var totalSent);
            var expected = Oracle(request);
            PropertyFailure.Unless(error?.Field == expected, $"expected {expected ?? "acceptance"}, got {error?.ToString() ?? "acceptance"}");
            PropertyFailure.Unless(error is not null || MetricsReportRules.TotalSent(request) <= Max, "accepted a report whose counts sum past the limit");
            PropertyFailure.Unless(error is not null || totalSent == MetricsReportRules.TotalSent(request), "the sum from validation differs from TotalSent");
        }, iter: 1_000);

    [Test]
    public void MetricsTarget_MutatedReportBytes_DocumentedOutcomeOnly() =>
        Report.SelectMany(r => DescriptorGen.Mutate(r.ToByteArray())).Sample(bytes =>
        {
            var outcome = MetricsTarget.Run(bytes);
            return outcome.Accepted || outcome.Field is FuzzOutcome.Unparsable or "identity_key" or "lease_token" or "received" or "sent" or "received_from";
        }, iter: 1_000);

    [Test]
    public void MetricsTarget_RandomBytes_NeverThrows() =>
        Gen.Byte.Array[0, 200].Sample(bytes => MetricsTarget.Run(bytes) is not null, iter: 2_000);

    /// <summary>The rules restated in the order they are checked, to compare against.</summary>
    private static string? Oracle(ReportMetricsRequest r)
    {
        if (r.IdentityKey.Length != 32)
        {
            return "identity_key";
        }

        if (r.LeaseToken.Length != 32)
        {
            return "lease_token";
        }

        if (r.Received > Max)
        {
            return "received";
        }

        return Broken(r.Sent) ? "sent" : Broken(r.ReceivedFrom) ? "received_from" : null;
    }

    private static bool Broken(Google.Protobuf.Collections.MapField<string, ulong> hops)
    {
        var tooMany = hops.Count > MetricsReportLimits.MaxNextHops;
        var badKey = hops.Keys.Any(k => k.Length == 0 || k.Length > MetricsReportLimits.MaxNextHopLength);
        var badCount = hops.Values.Any(c => c > Max);
        var sum = hops.Values.Aggregate(UInt128.Zero, (total, c) => total + c);
        return tooMany || badKey || badCount || sum > Max;
    }
}
