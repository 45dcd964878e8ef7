using Mixnet.Directory.Client;
using Mixnet.Directory.Signing;
using Spectre.Console;

namespace Mixnet.Directory.Cli.Rendering;

/// <summary>The topology as a table: one row per node, grouped by layer, gateways last.</summary>
public static class TopologyTable
{
    public static Table Build(Topology topology, IReadOnlyList<NodeInfo> nodes)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(nodes);
        var table = new Table()
            .Border(TableBorder.Simple)
            .AddColumn("layer")
            .AddColumn("id")
            .AddColumn("mix address")
            .AddColumn("reliability")
            .AddColumn("version")
            .AddColumn("location");
        int? previousLayer = null;
        foreach (var node in nodes)
        {
            if (previousLayer is not null && previousLayer != node.Layer)
            {
                table.AddEmptyRow();
            }

            previousLayer = node.Layer;
            table.AddRow(
                node.Role == NodeRole.Gateway ? "gateway" : node.Layer.ToString(System.Globalization.CultureInfo.InvariantCulture),
                KeyFingerprint.Abbreviate(node.IdentityKey.Span),
                Markup.Escape(node.MixEndpoint),
                Format.Quality(topology.GetQuality(node.IdentityKey.Span)),
                Markup.Escape(node.Version),
                Markup.Escape(node.Location));
        }

        return table;
    }
}
