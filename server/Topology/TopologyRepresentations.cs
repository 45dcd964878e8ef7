using System.Runtime.CompilerServices;
using System.Text.Json;
using Google.Protobuf;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Topology;

/// <summary>
/// The HTTP bodies of one published version, each built once on first request and shared, and
/// dropped together with the publication (it is the key of a weak table): memory stays bounded
/// by the versions <see cref="PublishedHistory"/> keeps.
/// </summary>
internal sealed class TopologyRepresentations
{
    private static readonly ConditionalWeakTable<PublishedTopology, TopologyRepresentations> Table = new();

    private readonly Lazy<byte[]> _json;
    private readonly Lazy<byte[]> _protobuf;
    private readonly Lazy<byte[]> _decoded;

    private TopologyRepresentations(PublishedTopology published, byte[] directoryKey)
    {
        _json = new(() => Json(published.Snapshot));
        _protobuf = new(() => new GetTopologyResponse { Topology = published.Snapshot }.ToByteArray());
        _decoded = new(() => TopologyJsonView.Topology(published.Snapshot, directoryKey));
    }

    /// <summary>The JSON of <see cref="GetTopologyResponse"/>, as the transcoded <c>GET /v1/topology</c> writes it.</summary>
    public byte[] JsonBody => _json.Value;

    /// <summary>The binary <see cref="GetTopologyResponse"/>.</summary>
    public byte[] ProtobufBody => _protobuf.Value;

    /// <summary>The decoded, snake_case view.</summary>
    public byte[] DecodedBody => _decoded.Value;

    public static TopologyRepresentations Of(PublishedTopology published, byte[] directoryKey) =>
        Table.GetValue(published, p => new TopologyRepresentations(p, directoryKey));

    private static byte[] Json(SignedTopology signed)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("topology");
            json.WriteBase64String("topology", signed.Topology.Span);
            json.WriteBase64String("signature", signed.Signature.Span);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
