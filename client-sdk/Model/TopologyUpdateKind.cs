namespace Mixnet.Directory.Client;

/// <summary>What a watch received to produce a <see cref="TopologyUpdate"/>.</summary>
public enum TopologyUpdateKind
{
    /// <summary>A full snapshot: the first update of a watch, or a resynchronization.</summary>
    Snapshot = 1,

    /// <summary>A delta applied to the previous view.</summary>
    Delta = 2,
}
