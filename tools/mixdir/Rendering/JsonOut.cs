using System.Text;
using System.Text.Json;

namespace Mixnet.Directory.Cli.Rendering;

/// <summary>
/// Writes one JSON object: indented for a one-shot result, or on a single line for NDJSON
/// (live commands print one object per event, so a script can read them line by line).
/// </summary>
public static class JsonOut
{
    public static void Write(TextWriter writer, Action<Utf8JsonWriter> writeObject, bool singleLine = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(writeObject);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = !singleLine }))
        {
            json.WriteStartObject();
            writeObject(json);
            json.WriteEndObject();
        }

        writer.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
        writer.Flush();
    }

    /// <summary>A duration in seconds, as a number (fractions allowed).</summary>
    public static void WriteSeconds(this Utf8JsonWriter json, string name, TimeSpan value)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteNumber(name, Math.Round(value.TotalSeconds, 3));
    }
}
