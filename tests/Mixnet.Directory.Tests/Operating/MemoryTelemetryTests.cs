using System.Globalization;
using System.Text.RegularExpressions;
using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.Operating;

/// <summary>/metrics carries the runtime's, the process's and the metrics replay's memory series, so operators can watch memory.</summary>
[TestFixture]
public sealed class MemoryTelemetryTests
{
    [Test]
    public async Task Prometheus_ExportsGcHeapCollectionsWorkingSetAndReplayBytes()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        using var http = new HttpClient { BaseAddress = server.WebAddress };

        // The heap size after the last collection is only reported once there was one; the test
        // host shares this process's runtime, so induced collections of every generation make
        // every series present. Two: a full collection promotes gen0's survivors only to gen1, so
        // in a fresh process (this test run alone) gen2 is empty until the second.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        var text = await http.GetStringAsync("/metrics").Within();

        Assert.Multiple(() =>
        {
            foreach (var generation in new[] { "gen0", "gen1", "gen2" })
            {
                Assert.That(Sample(text, "dotnet_gc_collections_total", generation), Is.Not.Null, $"collections of {generation}");
            }

            Assert.That(Sample(text, "dotnet_gc_collections_total", "gen2"), Is.GreaterThanOrEqualTo(1), "the induced full collection is counted");
            Assert.That(Sample(text, "dotnet_gc_last_collection_heap_size_bytes", "gen2"), Is.GreaterThan(0), "heap size after the last collection");
            Assert.That(Sample(text, "dotnet_process_memory_working_set_bytes", null), Is.GreaterThan(1024 * 1024), "the runtime's working set");
            Assert.That(Sample(text, "process_memory_usage_bytes", null), Is.GreaterThan(1024 * 1024), "the process instrumentation's resident memory");
            Assert.That(Sample(text, "mixnet_directory_metrics_replay_bytes", null), Is.GreaterThanOrEqualTo(0), "the metrics replay's memory");
            // An up-down counter: blocks pooled before the exporter listened are not counted, so
            // renting them can take the exported sum below zero (-4096 seen in a CI run).
            Assert.That(Sample(text, "aspnetcore_memory_pool_pooled_bytes", null), Is.Not.Null, "Kestrel's idle pooled buffers");
        });
        server.DeleteData();
    }

    /// <summary>The value of the first sample of <paramref name="name"/> (with that generation label when given), or null.</summary>
    private static double? Sample(string text, string name, string? generation)
    {
        var labels = generation is null ? @"(\{[^}]*\})?" : $@"\{{[^}}]*gc_heap_generation=""{generation}""[^}}]*\}}";
        var match = Regex.Match(text, $@"^{Regex.Escape(name)}{labels} (?<value>\S+)", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture) : null;
    }
}
