using System.Text.Json;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Cli.Rendering;

/// <summary>
/// The bans as JSON for scripts: <c>{"bans": [{"identity_key", "reason", "banned_at", "banned_by"}]}</c>,
/// oldest first, keys as full lower-case hex, field names as in the contract.
/// </summary>
public static class BansJson
{
    public static void Write(TextWriter writer, IEnumerable<Ban> bans)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(bans);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("bans");
            foreach (var ban in bans)
            {
                json.WriteStartObject();
                WriteFields(json, ban);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        writer.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        writer.Flush();
    }

    /// <summary>One ban as a JSON object, the same fields as an element of the list.</summary>
    public static void WriteOne(TextWriter writer, Ban ban)
    {
        ArgumentNullException.ThrowIfNull(ban);
        JsonOut.Write(writer, json => WriteFields(json, ban));
    }

    private static void WriteFields(Utf8JsonWriter json, Ban ban)
    {
        json.WriteString("identity_key", KeyFingerprint.Hex(ban.IdentityKey.Span));
        json.WriteString("reason", ban.Reason);
        if (ban.BannedAt is null)
        {
            json.WriteNull("banned_at");
        }
        else
        {
            json.WriteString("banned_at", ban.BannedAt.ToDateTimeOffset());
        }

        json.WriteString("banned_by", ban.BannedBy);
    }
}
