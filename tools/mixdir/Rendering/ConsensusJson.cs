using System.Text.Json;
using Mixnet.Directory.Cli.Consensus;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Cli.Rendering;

/// <summary>
/// <c>mixdir consensus -o json</c>: <c>{"verification", "verified", "reasons", "source", "epoch",
/// "valid_after", "fresh_until", "valid_until", "threshold", "valid_signatures", "signers",
/// "document_authority_keys", "nodes", "authorities"}</c>; the document fields are null when no
/// authority served a consensus.
/// </summary>
public static class ConsensusJson
{
    public static void Write(TextWriter writer, ConsensusReport report)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        JsonOut.Write(writer, json =>
        {
            var check = report.Shown?.Check;
            var document = check?.Document;
            json.WriteString("verification", ConsensusText.Verdict(report));
            json.WriteBoolean("verified", check?.Verified ?? false);
            json.WriteStartArray("reasons");
            foreach (var reason in report.Reasons)
            {
                json.WriteStringValue(reason);
            }

            json.WriteEndArray();
            WriteNullable(json, "source", report.Shown?.Address);
            if (document is null)
            {
                json.WriteNull("epoch");
            }
            else
            {
                json.WriteNumber("epoch", document.Epoch);
            }

            WriteTime(json, "valid_after", document?.ValidAfter);
            WriteTime(json, "fresh_until", document?.FreshUntil);
            WriteTime(json, "valid_until", document?.ValidUntil);
            json.WriteNumber("threshold", report.Trust.Threshold);
            json.WriteNumber("valid_signatures", check?.ValidSignatures ?? 0);
            json.WriteStartArray("signers");
            foreach (var signer in check?.Signers ?? [])
            {
                json.WriteStartObject();
                json.WriteString("authority_key", KeyFingerprint.Hex(signer.Key));
                json.WriteBoolean("pinned", signer.Pinned);
                json.WriteString("state", signer.State);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("document_authority_keys");
            foreach (var key in document?.AuthorityKeys ?? [])
            {
                json.WriteStringValue(KeyFingerprint.Hex(key.Span));
            }

            json.WriteEndArray();
            WriteNodes(json, check?.Nodes);
            WriteAuthorities(json, report.Answers);
        });
    }

    private static void WriteNodes(Utf8JsonWriter json, NodeCounts? nodes)
    {
        if (nodes is null)
        {
            json.WriteNull("nodes");
            return;
        }

        json.WriteStartObject("nodes");
        json.WriteNumber("total", nodes.Total);
        json.WriteNumber("mixnodes", nodes.Mixnodes);
        json.WriteNumber("gateways", nodes.Gateways);
        json.WriteStartArray("layers");
        foreach (var count in nodes.Layers)
        {
            json.WriteNumberValue(count);
        }

        json.WriteEndArray();
        json.WriteNumber("unreadable", nodes.Unreadable);
        json.WriteEndObject();
    }

    private static void WriteAuthorities(Utf8JsonWriter json, IReadOnlyList<AuthorityAnswer> answers)
    {
        json.WriteStartArray("authorities");
        foreach (var answer in answers)
        {
            json.WriteStartObject();
            json.WriteString("address", answer.Address);
            json.WriteBoolean("reached", answer.Reached);
            if (answer.Check is { } check)
            {
                json.WriteNumber("epoch", check.Epoch);
                json.WriteNumber("valid_signatures", check.ValidSignatures);
                json.WriteBoolean("verified", check.Verified);
            }

            WriteNullable(json, "error", answer.Error ?? answer.Check?.Failure);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteTime(Utf8JsonWriter json, string name, Google.Protobuf.WellKnownTypes.Timestamp? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value.ToDateTimeOffset());
        }
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
