namespace Mixnet.Directory.Validation;

/// <summary>The bounds the directory puts on one <c>ReportMetrics</c> request; the SDK's agent splits its reports to fit them.</summary>
public static class MetricsReportLimits
{
    /// <summary>Most next hops one report may name.</summary>
    public const int MaxNextHops = 1024;

    /// <summary>Longest next-hop key: a 253-character host, brackets, a colon and a port.</summary>
    public const int MaxNextHopLength = DescriptorLimits.MaxHostLength + 9;

    /// <summary>A count no real node reaches in one report; larger values would only skew the network totals.</summary>
    public const ulong MaxCount = 1_000_000_000_000UL;
}
