using System.Net.Sockets;
using System.Text;

namespace Mixnet.Directory.Tests.Hostile;

/// <summary>
/// An HTTP/1.1 client that announces a huge body and sends it slowly, as an attacker would,
/// and stops as soon as the server answers. Returns the status line and headers, and how much of
/// the body had been written when the answer came (or the server closed the connection).
/// </summary>
public static class RawHttp1
{
    public static async Task<HugePost> PostHugeAsync(Uri address, string path, long declaredLength, bool chunked, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port, cancellationToken);
        var stream = client.GetStream();
        var head = new StringBuilder()
            .Append("POST ").Append(path).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(address.Authority).Append("\r\n")
            .Append("Content-Type: application/json\r\n")
            .Append(chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {declaredLength}\r\n")
            .Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken);

        var response = new byte[4096];
        var reading = stream.ReadAsync(response, cancellationToken).AsTask();
        var chunk = Encoding.ASCII.GetBytes("{\"identityKey\":\"" + new string('A', 64 * 1024) + "\"");
        long sent = 0;
        try
        {
            while (!reading.IsCompleted && sent < declaredLength)
            {
                if (chunked)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{chunk.Length:X}\r\n"), cancellationToken);
                }

                await stream.WriteAsync(chunk, cancellationToken);
                if (chunked)
                {
                    await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
                }

                sent += chunk.Length;
            }
        }
        catch (IOException)
        {
            // The server closed the connection after answering; the answer is what counts.
        }

        var n = await reading;
        return new HugePost(Encoding.ASCII.GetString(response, 0, n), sent);
    }
}
