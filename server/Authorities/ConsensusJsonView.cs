using System.Text.Json;
using Google.Protobuf;
using Mixnet.Directory.Server.Topology;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Authorities;

/// <summary>
/// The decoded, human-readable JSON of a signed consensus (<c>GET /v1/consensus/view</c>):
/// snake_case names, keys and signatures in hex, times in RFC 3339, each node's own descriptor
/// decoded like the topology view, each authority signature checked, and the signed document
/// bytes in base64 so a reader can check that what is shown is what was signed.
/// </summary>
internal static class ConsensusJsonView
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    public static byte[] Of(SignedConsensus signed, AuthoritySet authorities)
    {
        var document = ConsensusDocument.Parser.ParseFrom(signed.Document);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Indented))
        {
            json.WriteStartObject();
            json.WriteNumber("epoch", document.Epoch);
            json.WriteString("valid_after", Rfc3339(document.ValidAfter));
            json.WriteString("fresh_until", Rfc3339(document.FreshUntil));
            json.WriteString("valid_until", Rfc3339(document.ValidUntil));
            json.WriteNumber("threshold", authorities.Threshold);
            json.WriteStartArray("authority_keys");
            foreach (var key in document.AuthorityKeys)
            {
                json.WriteStringValue(Convert.ToHexStringLower(key.Span));
            }

            json.WriteEndArray();
            var valid = 0;
            json.WriteStartArray("signatures");
            foreach (var signature in signed.Signatures)
            {
                var ok = authorities.IsConfigured(signature.AuthorityKey.Span)
                    && DirectorySignatures.Verify(signature.AuthorityKey.Span, SignatureDomain.Consensus, signed.Document.Span, signature.Signature.Span);
                valid += ok ? 1 : 0;
                json.WriteStartObject();
                json.WriteString("authority", authorities.NameOf(signature.AuthorityKey.Span));
                json.WriteString("authority_key", Convert.ToHexStringLower(signature.AuthorityKey.Span));
                json.WriteString("signature", Convert.ToHexStringLower(signature.Signature.Span));
                json.WriteBoolean("valid", ok);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("valid_signatures", valid);
            json.WriteNumber("node_count", document.Nodes.Count);
            json.WriteStartArray("nodes");
            foreach (var node in document.Nodes)
            {
                // Every listed node's own signature was checked when the document was combined.
                json.WriteStartObject();
                json.WritePropertyName("descriptor");
                TopologyJsonView.WriteNode(json, NodeDescriptor.Parser.ParseFrom(node.Descriptor_));
                json.WriteString("node_signature", Convert.ToHexStringLower(node.Signature.Span));
                if (node.NodeQuality is { } quality)
                {
                    // The medians of the authorities' figures (see ConsensusCombiner.Median).
                    json.WriteStartObject("quality");
                    json.WriteNumber("reliability", quality.Reliability);
                    json.WriteNumber("reliability_24h", quality.Reliability24H);
                    json.WriteNumber("uptime", quality.Uptime);
                    json.WriteBoolean("excluded", quality.Excluded);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("signed");
            json.WriteString("signature_domain", "mixnet-directory/v1/consensus");
            json.WriteBase64String("document", signed.Document.Span);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string? Rfc3339(Google.Protobuf.WellKnownTypes.Timestamp? time) =>
        time is null ? null : JsonFormatter.Default.Format(time).Trim('"');
}
