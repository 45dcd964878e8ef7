using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace Mixnet.Directory.Tests.Hostile;

/// <summary>Sends hand-made gRPC request bodies over HTTP/2, as a hostile client would, and reads the status.</summary>
public sealed class RawGrpc(Uri address) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler()) { BaseAddress = address, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

    /// <summary>A frame: compressed flag, 4-byte big-endian length as declared, then the payload as given.</summary>
    public static byte[] Frame(byte[] payload, uint? declaredLength = null, byte flag = 0)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), declaredLength ?? (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    public async Task<(int Status, string Message)> CallAsync(string method, byte[] body, string? encoding = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, method)
        {
            Content = new ByteArrayContent(body),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.ParseAdd("trailers");
        if (encoding is not null)
        {
            request.Headers.Add("grpc-encoding", encoding);
        }

        using var response = await _http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var status = Find(response, "grpc-status") ?? throw new InvalidOperationException($"no grpc-status in the response (HTTP {(int)response.StatusCode})");
        return (int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), Uri.UnescapeDataString(Find(response, "grpc-message") ?? string.Empty));
    }

    public void Dispose() => _http.Dispose();

    private static string? Find(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var t) ? t.First()
        : response.Headers.TryGetValues(name, out var h) ? h.First()
        : null;
}
