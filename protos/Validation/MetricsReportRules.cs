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
    public static FieldError? Validate(ReportMetricsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
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

        if (request.Sent.Count > MetricsReportLimits.MaxNextHops)
        {
            return new("sent", $"may name at most {MetricsReportLimits.MaxNextHops} next hops, got {request.Sent.Count}");
        }

        // At most MaxNextHops counts of at most MaxCount each: the sum cannot overflow a ulong.
        ulong sent = 0;
        foreach (var (hop, count) in request.Sent)
        {
            if (hop.Length is 0 or > MetricsReportLimits.MaxNextHopLength)
            {
                return new("sent", $"keys must be host:port of 1..{MetricsReportLimits.MaxNextHopLength} characters");
            }

            // The key is not echoed: it is the caller's text and would travel into logs.
            if (count > MetricsReportLimits.MaxCount)
            {
                return new("sent", $"every count must be at most {MetricsReportLimits.MaxCount}");
            }

            sent += count;
        }

        if (sent > MetricsReportLimits.MaxCount)
        {
            return new("sent", $"the sum of the counts must be at most {MetricsReportLimits.MaxCount}");
        }

        return null;
    }

    /// <summary>The sum of the report's sent counts; call it on a report <see cref="Validate"/> accepted.</summary>
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
}
