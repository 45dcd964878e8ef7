using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Mixnet.Directory.Server.Telemetry;

/// <summary>
/// How many attribute sets (series) each exported metric may hold. OpenTelemetry allocates a
/// metric stream's points up front, as many as its cardinality limit: with the default of 2,000,
/// each of the directory's ~50 streams held a 144 KB point array and a 32 KB lookup table on the
/// large object heap, 9 MB in all, more than half the heap of an empty directory
/// (bench/results.md, "fixed costs"). No stream here has more than a few dozen series; a stream
/// that reaches its limit folds further series into one <c>otel_metric_overflow="true"</c> series
/// rather than dropping the measurements.
/// </summary>
internal static class MetricCardinality
{
    /// <summary>Series per stream unless listed below: a few labels with small fixed value sets (GC generation, status code, role and layer).</summary>
    public const int Default = 128;

    /// <summary>
    /// Series of the request-duration histogram: one per route template × method × status code ×
    /// protocol, the only stream whose labels multiply (about 40 routes).
    /// </summary>
    public const int HttpRequests = 1024;

    public const string HttpRequestDuration = "http.server.request.duration";

    /// <summary>The view the meter provider applies to every instrument (<c>AddView</c>).</summary>
    public static MetricStreamConfiguration Limit(Instrument instrument) => new()
    {
        CardinalityLimit = instrument.Name == HttpRequestDuration ? HttpRequests : Default,
    };
}
