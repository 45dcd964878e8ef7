using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace Mixnet.Directory.Server.Topology;

/// <summary>
/// What the signed-document routes (<c>/v1/topology</c>, <c>/v1/consensus</c>) share: content
/// negotiation, conditional requests and the JSON refusal body.
/// </summary>
internal static class HttpRepresentation
{
    public const string JsonType = "application/json; charset=utf-8";

    /// <summary>True when <c>If-None-Match</c> names <paramref name="etag"/> (or <c>*</c>).</summary>
    public static bool Matches(HttpRequest request, string etag)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0 || !EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return false;
        }

        // If-None-Match uses the weak comparison: a cache that marked our tag weak still matches.
        foreach (var tag in tags)
        {
            if (tag.Equals(EntityTagHeaderValue.Any) || tag.Tag.Equals(etag, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the caller asks for the protobuf form.</summary>
    public static bool WantsProtobuf(HttpContext context)
    {
        foreach (var accept in context.Request.Headers.Accept)
        {
            if (accept is not null && (accept.Contains("application/x-protobuf", StringComparison.OrdinalIgnoreCase) || accept.Contains("application/protobuf", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Writes a refusal: <c>{"status", "field"?, "message"}</c>, with the given caching.</summary>
    public static Task WriteRefusal(HttpContext context, int status, string field, string message, string cacheControl)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.Headers.CacheControl = cacheControl;
        response.ContentType = JsonType;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("status", status);
            if (field.Length > 0)
            {
                json.WriteString("field", field);
            }

            json.WriteString("message", field.Length > 0 ? $"{field} {message}" : message);
            json.WriteEndObject();
        }

        var bytes = buffer.ToArray();
        response.ContentLength = bytes.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }
}
