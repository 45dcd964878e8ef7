using System.Text.Json;
using Mixnet.Directory.Client;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Cli.Rendering;

/// <summary>
/// The topology as JSON for scripts: <c>{"version", "issued_at", "mixnodes": [...], "gateways": [...]}</c>,
/// keys as lower-case hex, field names as in the contract; each node has its <c>"quality"</c> object (or null).
/// </summary>
public static class TopologyJson
{
    public static void Write(TextWriter writer, Topology topology, IReadOnlyList<NodeInfo> nodes)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(nodes);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("version", topology.Version);
            json.WriteString("issued_at", topology.IssuedAt);
            WriteNodes(json, "mixnodes", nodes.Where(n => n.Role == NodeRole.Mixnode), topology);
            WriteNodes(json, "gateways", nodes.Where(n => n.Role == NodeRole.Gateway), topology);
            json.WriteEndObject();
        }

        writer.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        writer.Flush();
    }

    /// <summary>
    /// <c>"quality": {"reliability", "reliability_24h", "uptime", "excluded"}</c>, the directory's
    /// published scores; <c>null</c> when it has not scored the node (yet, or has no scoring).
    /// </summary>
    public static void WriteQuality(Utf8JsonWriter json, NodeQuality? quality)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (quality is null)
        {
            json.WriteNull("quality");
            return;
        }

        json.WriteStartObject("quality");
        json.WriteNumber("reliability", quality.Reliability);
        json.WriteNumber("reliability_24h", quality.Reliability24h);
        json.WriteNumber("uptime", quality.Uptime);
        json.WriteBoolean("excluded", quality.Excluded);
        json.WriteEndObject();
    }

    private static void WriteNodes(Utf8JsonWriter json, string name, IEnumerable<NodeInfo> nodes, Topology topology)
    {
        json.WriteStartArray(name);
        foreach (var node in nodes)
        {
            json.WriteStartObject();
            WriteNodeFields(json, node);
            WriteQuality(json, topology.GetQuality(node.IdentityKey.Span));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>A node's descriptor fields, as in the topology's JSON (also used by node, watch and metrics).</summary>
    public static void WriteNodeFields(Utf8JsonWriter json, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(node);
        json.WriteString("identity_key", KeyFingerprint.Hex(node.IdentityKey.Span));
        json.WriteString("sphinx_key", KeyFingerprint.Hex(node.SphinxKey.Span));
        json.WriteString("role", node.Role == NodeRole.Gateway ? "gateway" : "mixnode");
        json.WriteNumber("layer", node.Layer);
        json.WriteString("host", node.Host);
        json.WriteNumber("mix_port", node.MixPort);
        json.WriteNumber("client_port", node.ClientPort);
        json.WriteString("version", node.Version);
        json.WriteString("location", node.Location);
        json.WriteString("signed_at", node.SignedAt);
    }
}
