namespace Mixnet.Directory.Fuzz;

/// <summary>The targets by name.</summary>
public static class FuzzTargets
{
    /// <summary>Every target, by its command-line name (also its corpus folder under tools/fuzz/corpus).</summary>
    public static IReadOnlyDictionary<string, FuzzTarget> All { get; } = new Dictionary<string, FuzzTarget>(StringComparer.Ordinal)
    {
        [DescriptorTarget.Name] = DescriptorTarget.Run,
        [HostTarget.Name] = HostTarget.Run,
        [MetricsTarget.Name] = MetricsTarget.Run,
    };
}
