using System.Globalization;
using Mixnet.Directory.Client;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Cli.Rendering;

/// <summary>Lines that say what a watch update changed: a summary for a snapshot, then joined/left/changed per node.</summary>
public static class TopologyChanges
{
    public static IEnumerable<string> Describe(Topology? previous, TopologyUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var topology = update.Topology;
        var time = DateTimeOffset.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        if (update.Kind == TopologyUpdateKind.Snapshot)
        {
            yield return $"{time} v{topology.Version} snapshot: {topology.Mixnodes.Count} mixnodes, {topology.Gateways.Count} gateways";
            if (previous is null)
            {
                yield break; // The first snapshot lists nothing per node: `mixdir topology` does that.
            }
        }

        foreach (var node in update.Upserted)
        {
            var verb = previous?.Find(node.IdentityKey.Span) is null ? "joined " : "changed";
            yield return $"{time} v{topology.Version} {verb} {Describe(node)}";
        }

        foreach (var node in update.Removed)
        {
            yield return $"{time} v{topology.Version} left    {Describe(node)}";
        }
    }

    private static string Describe(NodeInfo node) =>
        $"{KeyFingerprint.Abbreviate(node.IdentityKey.Span)} {(node.Role == NodeRole.Gateway ? "gateway" : "layer " + node.Layer.ToString(CultureInfo.InvariantCulture))} {node.MixEndpoint}";
}
