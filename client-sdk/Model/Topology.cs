using System.Collections.Immutable;
using Mixnet.Directory.Client.Internal;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Client;

/// <summary>
/// A verified topology: every live node at one version. Immutable; the per-layer lists are built
/// on first use, so a watch that yields a new view after every delta stays cheap.
/// </summary>
public sealed class Topology
{
    /// <summary>The number of mixnode layers.</summary>
    public const int LayerCount = 3;

    private readonly ImmutableDictionary<KeyId, NodeInfo> _nodes;
    private readonly ImmutableDictionary<KeyId, NodeQuality> _quality;
    private TopologyIndex? _index;

    internal Topology(ulong version, DateTimeOffset issuedAt, ImmutableDictionary<KeyId, NodeInfo> nodes, ImmutableDictionary<KeyId, NodeQuality>? quality = null)
    {
        Version = version;
        IssuedAt = issuedAt;
        _nodes = nodes;
        _quality = quality ?? ImmutableDictionary<KeyId, NodeQuality>.Empty;
    }

    /// <summary>The directory's version of this topology; it grows with every change.</summary>
    public ulong Version { get; }

    /// <summary>When the directory published this version.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>
    /// For a topology from the directory authorities' consensus: its epoch window and signers.
    /// Null for a topology signed by a single directory.
    /// </summary>
    public ConsensusInfo? Consensus { get; internal init; }

    /// <summary>The number of nodes, mixnodes and gateways.</summary>
    public int Count => _nodes.Count;

    /// <summary>All mixnodes, ordered by layer and then identity key.</summary>
    public IReadOnlyList<NodeInfo> Mixnodes => Index.Mixnodes;

    /// <summary>All gateways, ordered by identity key.</summary>
    public IReadOnlyList<NodeInfo> Gateways => Index.Gateways;

    internal ImmutableDictionary<KeyId, NodeInfo> Nodes => _nodes;

    internal ImmutableDictionary<KeyId, NodeQuality> Quality => _quality;

    private TopologyIndex Index => LazyInitializer.EnsureInitialized(ref _index, () => new TopologyIndex(_nodes.Values));

    /// <summary>The mixnodes of one layer (1..3), ordered by identity key; empty for any other number.</summary>
    /// <param name="layer">The layer.</param>
    public IReadOnlyList<NodeInfo> GetLayer(int layer) =>
        layer is >= 1 and <= LayerCount ? Index.Layers[layer] : [];

    /// <summary>Finds a node by its identity key.</summary>
    /// <param name="identityKey">The 32-byte identity key.</param>
    /// <returns>The node, or null when it is not in this topology.</returns>
    public NodeInfo? Find(ReadOnlySpan<byte> identityKey) =>
        identityKey.Length == DirectorySignatures.PublicKeySize && _nodes.TryGetValue(KeyId.From(identityKey), out var node) ? node : null;

    /// <summary>The directory's quality scores for a node of this topology.</summary>
    /// <param name="identityKey">The 32-byte identity key.</param>
    /// <returns>The scores, or null when the node is not listed or not scored yet.</returns>
    public NodeQuality? GetQuality(ReadOnlySpan<byte> identityKey) =>
        identityKey.Length == DirectorySignatures.PublicKeySize && _quality.TryGetValue(KeyId.From(identityKey), out var quality) ? quality : null;

    /// <inheritdoc/>
    public override string ToString() => $"Topology v{Version}: {Mixnodes.Count} mixnodes, {Gateways.Count} gateways";
}
