using System.Text;

namespace Mixnet.Directory.Client;

/// <summary>A path through the mixnet: entry gateway, one mixnode per layer, exit gateway. Prints each hop as key prefix, role and endpoint.</summary>
/// <param name="Entry">The gateway the sender connects to.</param>
/// <param name="Layer1">The layer-1 mixnode.</param>
/// <param name="Layer2">The layer-2 mixnode.</param>
/// <param name="Layer3">The layer-3 mixnode.</param>
/// <param name="Exit">The gateway the packet leaves through.</param>
public sealed record Route(NodeInfo Entry, NodeInfo Layer1, NodeInfo Layer2, NodeInfo Layer3, NodeInfo Exit)
{
    /// <summary>The three mixnodes in order.</summary>
    public IReadOnlyList<NodeInfo> Mixnodes => [Layer1, Layer2, Layer3];

    /// <summary>All five hops in order, entry to exit.</summary>
    public IReadOnlyList<NodeInfo> Hops => [Entry, Layer1, Layer2, Layer3, Exit];

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Entry = ").Append(Entry.Label)
            .Append(", Layer1 = ").Append(Layer1.Label)
            .Append(", Layer2 = ").Append(Layer2.Label)
            .Append(", Layer3 = ").Append(Layer3.Label)
            .Append(", Exit = ").Append(Exit.Label);
        return true;
    }
}
