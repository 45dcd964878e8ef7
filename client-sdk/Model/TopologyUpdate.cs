using System.Globalization;
using System.Text;

namespace Mixnet.Directory.Client;

/// <summary>One step of a topology watch: the full current view and what changed to get there. Prints counts of the changes.</summary>
/// <param name="Topology">The full, verified topology after this update.</param>
/// <param name="Kind">Whether a snapshot or a delta produced it.</param>
/// <param name="Upserted">Nodes that joined or changed (for a snapshot: relative to the previous view, if any).</param>
/// <param name="Removed">Nodes that left, as they were in the previous view.</param>
public sealed record TopologyUpdate(
    Topology Topology,
    TopologyUpdateKind Kind,
    IReadOnlyList<NodeInfo> Upserted,
    IReadOnlyList<NodeInfo> Removed)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Topology = {Topology}, Kind = {Kind}, Upserted = {Upserted.Count}, Removed = {Removed.Count}");
        return true;
    }
}
