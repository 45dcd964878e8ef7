using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mixnet.Directory.Server.Topology;

/// <summary>
/// Lets the JSON bodies of the transcoded POST routes name a node in hex or base64url too: the
/// <c>identityKey</c> field is rewritten to the standard base64 the transcoder reads. Bodies are
/// small (the gRPC limits allow at most 4 KB on these routes), so one bounded read is enough; a
/// body that is larger, not JSON, or whose key does not parse goes on unchanged, and the
/// transcoder answers it as before.
/// </summary>
internal static class IdentityKeyBodyNormalizer
{
    private const int MaxBody = 16 * 1024;

    private static readonly string[] Routes = ["/v1/nodes:heartbeat", "/v1/nodes:deregister", "/v1/admin/bans", "/v1/admin/bans:unban"];

    public static bool Applies(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && request.ContentLength is > 0 and <= MaxBody
        && Array.IndexOf(Routes, request.Path.Value) >= 0;

    public static async Task RewriteAsync(HttpRequest request)
    {
        var body = new byte[(int)request.ContentLength!.Value];
        await request.Body.ReadExactlyAsync(body, request.HttpContext.RequestAborted);
        request.Body = new MemoryStream(Rewrite(body) ?? body, writable: false);
        request.ContentLength = request.Body.Length;
    }

    private static byte[]? Rewrite(byte[] body)
    {
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }

        var changed = false;
        foreach (var name in (ReadOnlySpan<string>)["identityKey", "identity_key"])
        {
            if (root?[name] is JsonValue value && value.TryGetValue<string>(out var text)
                && NodeIdText.TryParse(text, out var key, out _))
            {
                var standard = Convert.ToBase64String(key);
                if (!string.Equals(standard, text, StringComparison.Ordinal))
                {
                    root[name] = standard;
                    changed = true;
                }
            }
        }

        return changed ? JsonSerializer.SerializeToUtf8Bytes(root) : null;
    }
}
