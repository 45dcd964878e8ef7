using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Cli.Rendering;
using Mixnet.Directory.Client;

namespace Mixnet.Directory.Cli.Commands;

/// <summary><c>mixdir topology</c>: the verified topology as a table by layer, or as JSON.</summary>
public sealed class TopologyCommand(CliConsole console) : DirectoryCommand<TopologySettings>(console)
{
    protected override async Task<int> RunAsync(DirectorySession session, TopologySettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        var topology = await session.Client.GetTopologyAsync(cancellationToken);
        var nodes = Select(topology, settings.Layer);
        if (settings.Format == OutputFormat.Json)
        {
            TopologyJson.Write(Console.RawOut, topology, nodes);
            return ExitCodes.Success;
        }

        Console.Out.Write(TopologyTable.Build(topology, nodes));
        Console.RawOut.WriteLine($"version {topology.Version}, issued {Format.Time(topology.IssuedAt)}: {topology.Mixnodes.Count} mixnodes, {topology.Gateways.Count} gateways");
        return ExitCodes.Success;
    }

    /// <summary>The nodes to show: mixnodes by layer then gateways, or one layer (0 = gateways).</summary>
    private static List<NodeInfo> Select(Topology topology, int? layer) => layer switch
    {
        null => [.. topology.Mixnodes, .. topology.Gateways],
        0 => [.. topology.Gateways],
        _ => [.. topology.GetLayer(layer.Value)],
    };
}
