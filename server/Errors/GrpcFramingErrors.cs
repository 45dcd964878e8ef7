using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using Grpc.Core;

namespace Mixnet.Directory.Server.Errors;

/// <summary>
/// grpc-dotnet answers malformed gRPC framing as if the server were broken: INTERNAL
/// ("Incomplete message.") when the body ends before its length prefix, UNKNOWN when the
/// compressed flag is not 0 or 1 or the prefix is over 2 GB. These are the caller's malformed
/// input, so this middleware rewrites them to INVALID_ARGUMENT / RESOURCE_EXHAUSTED. It looks
/// only at responses that have not started when the call ends (trailers-only errors); a
/// successful call has sent its message by then, so the heartbeat path costs one property read.
/// </summary>
internal sealed class GrpcFramingErrors(RequestDelegate next)
{
    private const string Incomplete = "Incomplete message.";
    private static readonly string InternalCode = ((int)StatusCode.Internal).ToString(CultureInfo.InvariantCulture);
    private static readonly string UnknownCode = ((int)StatusCode.Unknown).ToString(CultureInfo.InvariantCulture);

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        var headers = response.Headers;
        var status = headers["grpc-status"];
        if (status == InternalCode && headers["grpc-message"] == Incomplete)
        {
            Rewrite(headers, StatusCode.InvalidArgument, "request is not a complete gRPC message: the body ended before the length its prefix declared");
        }
        else if (status == UnknownCode && UnreadFrameHeader(context) is { } header)
        {
            // The handler never ran: grpc-dotnet stopped at the 5-byte frame header it left unread.
            if (header.Flag > 1)
            {
                Rewrite(headers, StatusCode.InvalidArgument, "request is not a gRPC message: the compressed flag must be 0 or 1");
            }
            else if (header.Length > int.MaxValue)
            {
                Rewrite(headers, StatusCode.ResourceExhausted, $"request message declares {header.Length} bytes, over this method's limit");
            }
        }
    }

    private static void Rewrite(IHeaderDictionary headers, StatusCode code, string message)
    {
        headers["grpc-status"] = ((int)code).ToString(CultureInfo.InvariantCulture);
        headers["grpc-message"] = message;
    }

    private static (byte Flag, uint Length)? UnreadFrameHeader(HttpContext context)
    {
        try
        {
            var reader = context.Request.BodyReader;
            if (!reader.TryRead(out var result))
            {
                return null;
            }

            var buffer = result.Buffer;
            (byte, uint)? header = null;
            if (buffer.Length >= 5)
            {
                Span<byte> bytes = stackalloc byte[5];
                buffer.Slice(0, 5).CopyTo(bytes);
                header = (bytes[0], BinaryPrimitives.ReadUInt32BigEndian(bytes[1..]));
            }

            reader.AdvanceTo(buffer.Start);
            return header;
        }
        catch (InvalidOperationException)
        {
            // The body was completed or is being read elsewhere: nothing to inspect.
            return null;
        }
    }
}
