using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;

namespace Mixnet.Directory.Tests.Browser;

/// <summary>A complete gRPC-Web response body: length-prefixed message frames, then the trailer frame.</summary>
public static class GrpcWebBody
{
    public const string ContentType = "application/grpc-web+proto";

    public static byte[] Of(params IMessage[] messages)
    {
        using var body = new MemoryStream();
        foreach (var message in messages)
        {
            WriteFrame(body, 0x00, message.ToByteArray());
        }

        WriteFrame(body, 0x80, Encoding.ASCII.GetBytes("grpc-status:0\r\ngrpc-message:\r\n"));
        return body.ToArray();
    }

    private static void WriteFrame(Stream stream, byte flags, byte[] payload)
    {
        Span<byte> header = stackalloc byte[5];
        header[0] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)payload.Length);
        stream.Write(header);
        stream.Write(payload);
    }
}
