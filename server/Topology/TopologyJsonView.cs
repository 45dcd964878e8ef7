using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Topology;

/// <summary>
/// The decoded, human-readable JSON of a signed topology and of one node: snake_case names, keys
/// in hex, times in RFC 3339, and beside them the signed bytes and the signature in base64 so a
/// reader can check that what is shown is what the directory signed.
/// </summary>
internal static class TopologyJsonView
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    /// <summary>The decoded view of a snapshot, parsed from the very bytes that were signed.</summary>
    public static byte[] Topology(SignedTopology signed, byte[] directoryKey)
    {
        var snapshot = TopologySnapshot.Parser.ParseFrom(signed.Topology);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Indented))
        {
            json.WriteStartObject();
            json.WriteNumber("version", snapshot.Version);
            json.WriteString("issued_at", Rfc3339(snapshot.IssuedAt));
            json.WriteString("directory_key", Convert.ToHexStringLower(directoryKey));
            json.WriteNumber("mixnode_count", snapshot.Mixnodes.Count);
            json.WriteNumber("gateway_count", snapshot.Gateways.Count);
            json.WriteStartArray("mixnodes");
            foreach (var node in snapshot.Mixnodes)
            {
                WriteNode(json, node);
            }

            json.WriteEndArray();
            json.WriteStartArray("gateways");
            foreach (var node in snapshot.Gateways)
            {
                WriteNode(json, node);
            }

            json.WriteEndArray();
            json.WriteStartObject("signed");
            json.WriteString("signature_domain", "mixnet-directory/v1/topology");
            json.WriteBase64String("topology", signed.Topology.Span);
            json.WriteBase64String("signature", signed.Signature.Span);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The decoded view of one node as the given version publishes it.</summary>
    public static byte[] Node(ReadOnlyMemory<byte> descriptorBytes, DateTimeOffset registeredAt, ulong version)
    {
        var descriptor = NodeDescriptor.Parser.ParseFrom(descriptorBytes.Span);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Indented))
        {
            json.WriteStartObject();
            json.WriteNumber("topology_version", version);
            json.WriteString("registered_at", registeredAt.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
            json.WritePropertyName("node");
            WriteNode(json, descriptor);

            // The descriptor bytes exactly as they sit in the signed snapshot of this version.
            json.WriteStartObject("signed");
            json.WriteBase64String("descriptor", descriptorBytes.Span);
            json.WriteString("signed_in", $"/v1/topology/{version}");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    internal static void WriteNode(Utf8JsonWriter json, NodeDescriptor node)
    {
        json.WriteStartObject();
        json.WriteString("identity_key", Convert.ToHexStringLower(node.IdentityKey.Span));
        json.WriteString("role", node.Role switch
        {
            NodeRole.Mixnode => "mixnode",
            NodeRole.Gateway => "gateway",
            _ => node.Role.ToString(),
        });
        json.WriteNumber("layer", node.Layer);
        json.WriteString("host", node.Host);
        json.WriteNumber("mix_port", node.MixPort);
        json.WriteNumber("client_port", node.ClientPort);
        json.WriteString("version", node.Version);
        json.WriteString("location", node.Location);
        json.WriteString("signed_at", Rfc3339(node.SignedAt));
        json.WriteString("sphinx_key", Convert.ToHexStringLower(node.SphinxKey.Span));
        json.WriteEndObject();
    }

    private static string? Rfc3339(Google.Protobuf.WellKnownTypes.Timestamp? time) =>
        time is null ? null : JsonFormatter.Default.Format(time).Trim('"');
}
