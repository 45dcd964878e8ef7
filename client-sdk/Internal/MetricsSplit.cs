using Mixnet.Directory.Validation;

namespace Mixnet.Directory.Client.Internal;

/// <summary>Splits one report's counts into requests the directory accepts.</summary>
internal static class MetricsSplit
{
    /// <summary>
    /// One report's counts as requests of at most <see cref="MetricsReportLimits.MaxNextHops"/> next
    /// hops and as many previous hops each; the total received goes with the first.
    /// </summary>
    public static List<PacketCounts> Split(PacketCounts counts)
    {
        if (counts.Sent.Count <= MetricsReportLimits.MaxNextHops && counts.ReceivedFrom.Count <= MetricsReportLimits.MaxNextHops)
        {
            return [counts];
        }

        var sent = Chunks(counts.Sent);
        var receivedFrom = Chunks(counts.ReceivedFrom);
        var parts = new List<PacketCounts>();
        for (var i = 0; i < Math.Max(sent.Count, receivedFrom.Count); i++)
        {
            parts.Add(new PacketCounts(
                i < sent.Count ? sent[i] : new Dictionary<string, long>(StringComparer.Ordinal),
                i == 0 ? counts.Received : 0,
                i < receivedFrom.Count ? receivedFrom[i] : new Dictionary<string, long>(StringComparer.Ordinal)));
        }

        return parts;
    }

    private static List<Dictionary<string, long>> Chunks(IReadOnlyDictionary<string, long> counts)
    {
        var chunks = new List<Dictionary<string, long>>();
        var part = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (hop, count) in counts)
        {
            part[hop] = count;
            if (part.Count == MetricsReportLimits.MaxNextHops)
            {
                chunks.Add(part);
                part = new Dictionary<string, long>(StringComparer.Ordinal);
            }
        }

        if (part.Count > 0)
        {
            chunks.Add(part);
        }

        return chunks;
    }
}
