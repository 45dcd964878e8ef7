using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Pipelines;
using Grpc.Core;
using Mixnet.Directory.Server.Telemetry;

namespace Mixnet.Directory.Server.Errors;

/// <summary>
/// The edge of every gRPC call: malformed framing answered as the caller's fault, and every
/// refusal counted once. Before grpc-dotnet reads a request it peeks at the 5-byte frame header:
/// a compressed flag other than 0/1 is INVALID_ARGUMENT and a length prefix over 2 GB is
/// RESOURCE_EXHAUSTED, answered here, because grpc-dotnet would log each as an error with a
/// stack trace. A body that ends before its prefix says (grpc-dotnet: INTERNAL "Incomplete
/// message.") is rewritten to INVALID_ARGUMENT. Every call that ends in a trailers-only status
/// other than OK, CANCELLED or DEADLINE_EXCEEDED counts in <c>mixnet.directory.rejections</c>
/// under one spelling of its code. On the heartbeat path this costs one peek at bytes already
/// received and one header read.
/// </summary>
internal sealed class GrpcRefusals(RequestDelegate next, DirectoryInstruments instruments)
{
    private const string Incomplete = "Incomplete message.";
    private static readonly string InternalCode = ((int)StatusCode.Internal).ToString(CultureInfo.InvariantCulture);

    public Task InvokeAsync(HttpContext context)
    {
        if (!IsBinaryGrpc(context.Request.ContentType))
        {
            return next(context);
        }

        // The frame header is almost always in already: look without awaiting.
        var reader = context.Request.BodyReader;
        if (reader.TryRead(out var result))
        {
            var buffer = result.Buffer;
            if (buffer.Length >= 5 || result.IsCompleted || result.IsCanceled)
            {
                var header = HeaderOf(buffer);
                reader.AdvanceTo(buffer.Start);
                return RefuseOrRunAsync(context, header);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }

        return PeekThenRunAsync(context);
    }

    private async Task PeekThenRunAsync(HttpContext context) =>
        await RefuseOrRunAsync(context, await PeekFrameHeaderAsync(context.Request.BodyReader, context.RequestAborted));

    private Task RefuseOrRunAsync(HttpContext context, (byte Flag, uint Length)? header)
    {
        if (header is { Flag: > 1 })
        {
            Refuse(context.Response, StatusCode.InvalidArgument, "request is not a gRPC message: the compressed flag must be 0 or 1");
        }
        else if (header is { Length: > int.MaxValue })
        {
            Refuse(context.Response, StatusCode.ResourceExhausted, $"request message declares {header.Value.Length} bytes, over this method's limit");
        }
        else
        {
            return RunAsync(context);
        }

        Count(context.Response.Headers["grpc-status"]);
        return Task.CompletedTask;
    }

    private async Task RunAsync(HttpContext context)
    {
        await next(context);
        var response = context.Response;
        if (response.HasStarted)
        {
            return; // A message went out: not a refusal (a streaming call's status is in its trailers).
        }

        var headers = response.Headers;
        if (headers["grpc-status"] == InternalCode && headers["grpc-message"] == Incomplete)
        {
            Rewrite(headers, StatusCode.InvalidArgument, "request is not a complete gRPC message: the body ended before the length its prefix declared");
        }

        Count(headers["grpc-status"]);
    }

    private static (byte Flag, uint Length)? HeaderOf(ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < 5)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[5];
        buffer.Slice(0, 5).CopyTo(bytes);
        return (bytes[0], BinaryPrimitives.ReadUInt32BigEndian(bytes[1..]));
    }

    /// <summary>One spelling per status code (<c>resource_exhausted</c>), shared with the REST edge.</summary>
    public static string CodeName(StatusCode code) => CodeNames[(int)code < CodeNames.Length ? (int)code : (int)StatusCode.Unknown];

    private static readonly string[] CodeNames =
    [
        "ok", "cancelled", "unknown", "invalid_argument", "deadline_exceeded", "not_found", "already_exists", "permission_denied",
        "resource_exhausted", "failed_precondition", "aborted", "out_of_range", "unimplemented", "internal", "unavailable", "data_loss", "unauthenticated",
    ];

    private void Count(Microsoft.Extensions.Primitives.StringValues status)
    {
        if (status.Count != 1 || !int.TryParse(status[0], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            return;
        }

        if ((StatusCode)code is not (StatusCode.OK or StatusCode.Cancelled or StatusCode.DeadlineExceeded))
        {
            instruments.Rejection(CodeName((StatusCode)code));
        }
    }

    private static void Refuse(HttpResponse response, StatusCode code, string message)
    {
        // A trailers-only response: the status travels in the headers, as grpc-dotnet writes its own.
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        Rewrite(response.Headers, code, message);
    }

    private static void Rewrite(IHeaderDictionary headers, StatusCode code, string message)
    {
        headers["grpc-status"] = ((int)code).ToString(CultureInfo.InvariantCulture);
        headers["grpc-message"] = message;
    }

    private static bool IsBinaryGrpc(string? contentType) =>
        contentType is not null
        && contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)
        && !contentType.StartsWith("application/grpc-web-text", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The 5-byte gRPC frame header of a request, read without consuming anything: every byte is
    /// given back, so the next reader starts from the first byte without waiting for more. Null
    /// when the body ends first or the client goes away.
    /// </summary>
    public static async ValueTask<(byte Flag, uint Length)?> PeekFrameHeaderAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                if (buffer.Length >= 5)
                {
                    var header = HeaderOf(buffer);
                    reader.AdvanceTo(buffer.Start);
                    return header;
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    reader.AdvanceTo(buffer.Start);
                    return null;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client went away (or the body is read elsewhere): grpc-dotnet sees the same and ends the call.
            return null;
        }
    }
}
