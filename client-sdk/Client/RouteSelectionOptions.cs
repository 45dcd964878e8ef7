namespace Mixnet.Directory.Client;

/// <summary>How <see cref="DirectoryClient.SelectRoute(Topology, RouteSelectionOptions, Random?, IEnumerable{ReadOnlyMemory{byte}}?)"/> uses the directory's quality scores.</summary>
public sealed class RouteSelectionOptions
{
    /// <summary>The defaults: skip excluded nodes and those below 0.5, weight the rest by reliability².</summary>
    public static RouteSelectionOptions Default { get; } = new();

    /// <summary>Every node equally likely, quality ignored (excluded nodes too): the choice before quality scores existed.</summary>
    public static RouteSelectionOptions Uniform { get; } = new() { MinReliability = 0, ReliabilityExponent = 0, SkipExcluded = false };

    /// <summary>
    /// Nodes whose reliability is below this are skipped, unless no node of the layer reaches it
    /// (then the best effort is the nodes that are not excluded). Nodes the directory has not
    /// scored count as 1. Default 0.5.
    /// </summary>
    public double MinReliability { get; init; } = 0.5;

    /// <summary>Within a layer a node is picked with probability proportional to reliability^exponent; 0 is uniform. Default 2.</summary>
    public double ReliabilityExponent { get; init; } = 2;

    /// <summary>Whether nodes the directory marks excluded are skipped. Default true.</summary>
    public bool SkipExcluded { get; init; } = true;
}
