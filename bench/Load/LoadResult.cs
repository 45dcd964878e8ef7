using HdrHistogram;

namespace Mixnet.Directory.Bench.Load;

/// <summary>The figures of one timed run: throughput, latency percentiles, the server's CPU and memory.</summary>
internal sealed record LoadResult(
    string Name,
    string Shape,
    long Requests,
    long Errors,
    TimeSpan Elapsed,
    HistogramBase Latency,
    TimeSpan ServerCpu,
    TimeSpan ClientCpu,
    long ServerPeakRss,
    string? FirstError)
{
    /// <summary>The part of <see cref="ServerCpu"/> spent in the kernel (on loopback that includes the TCP work of both ends).</summary>
    public TimeSpan ServerSystemCpu { get; init; }

    public double ServerSystemShare => ServerCpu <= TimeSpan.Zero ? double.NaN : ServerSystemCpu / ServerCpu;

    public double Rps => Requests / Elapsed.TotalSeconds;

    /// <summary>Server CPU cores busy on average over the run.</summary>
    public double ServerCores => ServerCpu.TotalSeconds / Elapsed.TotalSeconds;

    public double ClientCores => ClientCpu.TotalSeconds / Elapsed.TotalSeconds;

    /// <summary>Server CPU per completed request, in microseconds.</summary>
    public double ServerCpuPerRequestUs => Requests == 0 ? double.NaN : ServerCpu.TotalMicroseconds / Requests;

    /// <summary>A latency percentile in milliseconds (recorded in microseconds).</summary>
    public double Ms(double percentile) => Latency.TotalCount == 0 ? double.NaN : Latency.GetValueAtPercentile(percentile) / 1000.0;

    public double MaxMs => Latency.TotalCount == 0 ? double.NaN : Latency.GetMaxValue() / 1000.0;
}
