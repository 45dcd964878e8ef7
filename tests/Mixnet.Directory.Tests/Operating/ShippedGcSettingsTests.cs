using System.Text.Json;

namespace Mixnet.Directory.Tests.Operating;

/// <summary>
/// The memory targets of bench/results.md hold with the GC settings the server's runtimeconfig
/// ships, not with environment variables: Server GC with DATAS on one heap, and the young
/// generation capped, so that the build keeps them.
/// </summary>
[TestFixture]
public sealed class ShippedGcSettingsTests
{
    [Test]
    public void TheServersRuntimeConfig_ShipsServerGcOnOneHeap_WithTheYoungGenerationCapped()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Mixnet.Directory.Server.runtimeconfig.json");
        Assert.That(File.Exists(path), Is.True, path);
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var properties = json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Multiple(() =>
        {
            Assert.That(properties.GetProperty("System.GC.Server").GetBoolean(), Is.True);
            Assert.That(properties.GetProperty("System.GC.MaxHeapCount").GetInt32(), Is.EqualTo(1));
            Assert.That(properties.TryGetProperty("System.GC.DynamicAdaptationMode", out var datas) ? datas.GetInt32() : 1, Is.EqualTo(1), "DATAS stays on (the default)");
            Assert.That(properties.GetProperty("System.GC.Gen0MaxBudget").GetInt64(), Is.InRange(4L << 20, 16L << 20), "gen0 budget capped at a few MiB");
        });
    }
}
