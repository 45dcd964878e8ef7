using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Diagnostics.NETCore.Client;
using Mixnet.Directory.Bench.Infrastructure;

namespace Mixnet.Directory.Bench.Soak;

/// <summary>
/// Reads the directory's memory from outside: RSS from /proc, the GC's figures from its own
/// /metrics (runtime instrumentation), and the live heap after a full collection induced over
/// EventPipe (the GCHeapCollect keyword, what dotnet-gcdump uses), with no hook in the server.
/// </summary>
internal sealed partial class ServerProbe(ServerProcess server) : IDisposable
{
    private const long GcKeyword = 0x1;
    private const long GcHeapCollectKeyword = 0x800000;

    private readonly HttpClient _http = new() { BaseAddress = new Uri(server.WebAddress), Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>One scrape: GC heap after the last collection (all generations), its fragmentation, collections per generation, and the metrics replay's bytes (NaN from a directory without that gauge).</summary>
    public async Task<GcFigures> ScrapeAsync(CancellationToken ct)
    {
        try
        {
            var text = await _http.GetStringAsync("/metrics", ct);
            return new GcFigures(
                Sum(text, "dotnet_gc_last_collection_heap_size_bytes", null),
                Sum(text, "dotnet_gc_last_collection_heap_fragmentation_size_bytes", null),
                (long)Sum(text, "dotnet_gc_collections_total", "gen0"),
                (long)Sum(text, "dotnet_gc_collections_total", "gen1"),
                (long)Sum(text, "dotnet_gc_collections_total", "gen2"),
                text.Contains("mixnet_directory_metrics_replay_bytes", StringComparison.Ordinal) ? Sum(text, "mixnet_directory_metrics_replay_bytes", null) : double.NaN);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            // A directory too busy to answer within 10 s (or restarting) leaves a gap, not a failed soak.
            return GcFigures.None;
        }
    }

    /// <summary>
    /// Induces a blocking full collection and returns the heap after it, less fragmentation: the
    /// live managed data. Null when the collection could not be confirmed (no gen2 counted).
    /// </summary>
    public async Task<GcFigures?> InducedFullCollectionAsync(CancellationToken ct)
    {
        var before = await ScrapeAsync(ct);
        for (var attempt = 0; double.IsNaN(before.HeapBytes) && attempt < 3; attempt++)
        {
            before = await ScrapeAsync(ct);
        }

        if (double.IsNaN(before.HeapBytes))
        {
            return null;
        }
        var client = new DiagnosticsClient(server.Pid);
        var providers = new[] { new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcKeyword | GcHeapCollectKeyword) };
        EventPipeSession session;
        try
        {
            session = await client.StartEventPipeSessionAsync(providers, requestRundown: false, circularBufferMB: 16, ct);
        }
        catch (Exception ex) when (ex is DiagnosticsClientException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            // No diagnostics port (DOTNET_EnableDiagnostics=0, another user, a sandbox): the live heap is n/a.
            Console.Error.WriteLine($"soak: cannot induce a collection in pid {server.Pid}: {ex.Message}");
            return null;
        }

        using var ownedSession = session;
        var drain = session.EventStream.CopyToAsync(Stream.Null, ct);
        try
        {
            for (var i = 0; i < 100; i++)
            {
                await Task.Delay(100, ct);
                var after = await ScrapeAsync(ct);
                if (after.Gen2 > before.Gen2)
                {
                    return after;
                }
            }

            return null;
        }
        finally
        {
            await session.StopAsync(ct);
            await drain.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose() => _http.Dispose();

    private static double Sum(string text, string name, string? generation)
    {
        var total = 0.0;
        foreach (Match match in Sample().Matches(text))
        {
            if (match.Groups["name"].Value == name && (generation is null || match.Groups["labels"].Value.Contains($"gc_heap_generation=\"{generation}\"", StringComparison.Ordinal)))
            {
                total += double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(?<labels>\{[^}]*\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}

/// <summary>The GC's figures from one /metrics scrape.</summary>
internal sealed record GcFigures(double HeapBytes, double FragmentationBytes, long Gen0, long Gen1, long Gen2, double ReplayBytes)
{
    public static GcFigures None { get; } = new(double.NaN, double.NaN, 0, 0, 0, double.NaN);

    public double LiveBytes => HeapBytes - FragmentationBytes;
}
