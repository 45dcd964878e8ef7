using Google.Protobuf.Collections;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Validation;

namespace Mixnet.Directory.Server.Metrics;

/// <summary>The one check of a report's per-hop maps (<c>sent</c>, <c>received_from</c>): both have the same limits and refusals.</summary>
internal static class HopCounts
{
    /// <summary>The sum of the counts, or INVALID_ARGUMENT naming <paramref name="field"/>.</summary>
    /// <param name="counts">The map, keyed by <c>host:port</c>.</param>
    /// <param name="field">The wire name, for the refusal.</param>
    /// <param name="which">"next" or "previous", for the refusal's wording.</param>
    public static ulong Sum(MapField<string, ulong> counts, string field, string which)
    {
        if (counts.Count > MetricsReportLimits.MaxNextHops)
        {
            throw GrpcErrors.InvalidArgument(field, $"{field} may name at most {MetricsReportLimits.MaxNextHops} {which} hops, got {counts.Count}");
        }

        ulong sum = 0;
        foreach (var (hop, count) in counts)
        {
            if (hop.Length is 0 or > MetricsReportLimits.MaxNextHopLength)
            {
                throw GrpcErrors.InvalidArgument(field, $"{field} keys must be host:port of 1..{MetricsReportLimits.MaxNextHopLength} characters");
            }

            if (count > MetricsReportLimits.MaxCount)
            {
                throw GrpcErrors.InvalidArgument(field, $"{field}[{hop}] must be at most {MetricsReportLimits.MaxCount}");
            }

            sum += count;
        }

        if (sum > MetricsReportLimits.MaxCount)
        {
            throw GrpcErrors.InvalidArgument(field, $"the sum of {field} must be at most {MetricsReportLimits.MaxCount}");
        }

        return sum;
    }
}
