using Google.Protobuf.Collections;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Validation;

/// <summary>
/// Field rules for a <see cref="ReportMetricsRequest"/> within <see cref="MetricsReportLimits"/>.
/// The server refuses a report that breaks one before it looks at the lease.
/// </summary>
public static class MetricsReportRules
{
    /// <summary>Returns the first rule the report breaks, or null when it is valid.</summary>
    /// <param name="request">The report to check.</param>
    public static FieldError? Validate(ReportMetricsRequest request) => Validate(request, out _);

    /// <summary>Returns the first rule the report breaks, or null when it is valid; the sum of its sent counts comes from the same pass.</summary>
    /// <param name="request">The report to check.</param>
    /// <param name="totalSent">The sum of <c>sent</c> when the report is valid (what <see cref="TotalSent"/> returns), else 0.</param>
    public static FieldError? Validate(ReportMetricsRequest request, out ulong totalSent)
    {
        ArgumentNullException.ThrowIfNull(request);
        totalSent = 0;
        if (request.IdentityKey.Length != DirectorySignatures.PublicKeySize)
        {
            return new("identity_key", $"must be {DirectorySignatures.PublicKeySize} bytes, got {request.IdentityKey.Length}");
        }

        if (request.LeaseToken.Length != DirectorySignatures.PublicKeySize)
        {
            return new("lease_token", $"must be {DirectorySignatures.PublicKeySize} bytes, got {request.LeaseToken.Length}");
        }

        if (request.Received > MetricsReportLimits.MaxCount)
        {
            return new("received", $"must be at most {MetricsReportLimits.MaxCount}");
        }

        var error = Hops(request.Sent, "sent", "next", out var sent) ?? Hops(request.ReceivedFrom, "received_from", "previous", out _);
        totalSent = error is null ? sent : 0;
        return error;
    }

    /// <summary>The sum of the report's sent counts; call it on a report <see cref="Validate(ReportMetricsRequest)"/> accepted.</summary>
    /// <param name="request">A valid report.</param>
    public static ulong TotalSent(ReportMetricsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ulong sent = 0;
        foreach (var count in request.Sent.Values)
        {
            sent += count;
        }

        return sent;
    }

    /// <summary>The one rule for both per-hop maps (<c>sent</c>, <c>received_from</c>): size, key length, each count and their sum.</summary>
    private static FieldError? Hops(MapField<string, ulong> counts, string field, string which, out ulong sum)
    {
        sum = 0;
        if (counts.Count > MetricsReportLimits.MaxNextHops)
        {
            return new(field, $"may name at most {MetricsReportLimits.MaxNextHops} {which} hops, got {counts.Count}");
        }

        // At most MaxNextHops counts of at most MaxCount each: the sum cannot overflow a ulong.
        foreach (var (hop, count) in counts)
        {
            if (hop.Length is 0 or > MetricsReportLimits.MaxNextHopLength)
            {
                return new(field, $"keys must be host:port of 1..{MetricsReportLimits.MaxNextHopLength} characters");
            }

            // The key is not echoed: it is the caller's text and would travel into logs.
            if (count > MetricsReportLimits.MaxCount)
            {
                return new(field, $"every count must be at most {MetricsReportLimits.MaxCount}");
            }

            sum += count;
        }

        if (sum > MetricsReportLimits.MaxCount)
        {
            return new(field, $"the sum of the counts must be at most {MetricsReportLimits.MaxCount}");
        }

        return null;
    }
}
