using Mixnet.Directory.Client;

namespace Mixnet.Directory.Cli.Rendering;

/// <summary>
/// A watch update as NDJSON, one object per line: <c>{"event": "snapshot", "version", "issued_at", "mixnodes", "gateways"}</c>
/// for a snapshot, then <c>{"event": "joined"|"changed"|"left", "version", ...node fields}</c> per node.
/// </summary>
public static class TopologyChangesJson
{
    public static void Write(TextWriter writer, Topology? previous, TopologyUpdate update)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(update);
        var topology = update.Topology;
        if (update.Kind == TopologyUpdateKind.Snapshot)
        {
            JsonOut.Write(writer, json =>
            {
                json.WriteString("event", "snapshot");
                json.WriteNumber("version", topology.Version);
                json.WriteString("issued_at", topology.IssuedAt);
                json.WriteNumber("mixnodes", topology.Mixnodes.Count);
                json.WriteNumber("gateways", topology.Gateways.Count);
            }, singleLine: true);
            if (previous is null)
            {
                return; // The first snapshot lists nothing per node, as in the table form.
            }
        }

        foreach (var node in update.Upserted)
        {
            WriteNode(writer, previous?.Find(node.IdentityKey.Span) is null ? "joined" : "changed", topology, node);
        }

        foreach (var node in update.Removed)
        {
            WriteNode(writer, "left", topology, node);
        }
    }

    private static void WriteNode(TextWriter writer, string kind, Topology topology, NodeInfo node) =>
        JsonOut.Write(writer, json =>
        {
            json.WriteString("event", kind);
            json.WriteNumber("version", topology.Version);
            TopologyJson.WriteNodeFields(json, node);
        }, singleLine: true);
}
