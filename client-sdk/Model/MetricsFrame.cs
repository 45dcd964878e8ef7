using System.Globalization;
using System.Text;

namespace Mixnet.Directory.Client;

/// <summary>One metrics window as the directory streams it. Prints the number of nodes, not each.</summary>
/// <param name="WindowEnd">When the window closed.</param>
/// <param name="Window">The window's length.</param>
/// <param name="Nodes">Per-node counts of the nodes that reported in the window (filtered as requested).</param>
/// <param name="NetworkSent">Packets sent network-wide in the window.</param>
/// <param name="NetworkReceived">Packets received network-wide in the window.</param>
/// <param name="LiveNodes">Live nodes at the window's end.</param>
/// <param name="DroppedFrames">Frames this subscriber missed so far because it was slow.</param>
public sealed record MetricsFrame(
    DateTimeOffset WindowEnd,
    TimeSpan Window,
    IReadOnlyList<NodeTraffic> Nodes,
    ulong NetworkSent,
    ulong NetworkReceived,
    int LiveNodes,
    ulong DroppedFrames)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture,
            $"WindowEnd = {WindowEnd:O}, Window = {Window}, Nodes = {Nodes.Count}, NetworkSent = {NetworkSent}, NetworkReceived = {NetworkReceived}, LiveNodes = {LiveNodes}, DroppedFrames = {DroppedFrames}");
        return true;
    }
}
