using System.Globalization;
using Grpc.Core;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Telemetry;

namespace Mixnet.Directory.Server.Limits;

/// <summary>The REST side of a refusal: the status JSON the transcoder would write, and its headers.</summary>
internal static class RestRefusal
{
    public static Task TooLarge(HttpContext context, PathString path, int limit)
    {
        context.RequestServices.GetRequiredService<DirectoryInstruments>().Rejection(GrpcRefusals.CodeName(StatusCode.ResourceExhausted));
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        context.Response.ContentType = "application/json";
        if (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol))
        {
            // The unread body would otherwise be drained to keep the connection.
            context.Response.Headers.Connection = "close";
        }

        var message = $"the request body is larger than {limit} bytes, the most {path} accepts";
        return context.Response.WriteAsync(
            "{\"code\":8,\"message\":\"" + message + "\",\"details\":[]}", context.RequestAborted);
    }

    /// <summary>Response.OnStarting callback: a 429 always says when to come back, and every refusal is counted.</summary>
    public static Task AddRetryAfter(object state)
    {
        var context = (HttpContext)state;
        var response = context.Response;
        if (response.StatusCode == StatusCodes.Status400BadRequest && context.Items.ContainsKey(BodyLimitStream.ExceededKey))
        {
            response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        }

        if (response.StatusCode == StatusCodes.Status429TooManyRequests && !response.Headers.ContainsKey("Retry-After"))
        {
            // The transcoder passes the call's retry-after trailer on as a grpc-trailer- header
            // when it can; otherwise one second is the smallest honest hint.
            var fromCall = response.Headers["grpc-trailer-retry-after"];
            response.Headers.RetryAfter = fromCall.Count > 0 ? fromCall.ToString() : 1.ToString(CultureInfo.InvariantCulture);
        }

        if (response.StatusCode >= 400 && CodeOf(response.StatusCode) is { } code)
        {
            context.RequestServices.GetRequiredService<DirectoryInstruments>().Rejection(GrpcRefusals.CodeName(code));
        }

        return Task.CompletedTask;
    }

    // The inverse of the transcoder's google.api mapping; where two codes share an HTTP status
    // (400: INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE) the first is counted.
    private static StatusCode? CodeOf(int httpStatus) => httpStatus switch
    {
        StatusCodes.Status400BadRequest => StatusCode.InvalidArgument,
        StatusCodes.Status401Unauthorized => StatusCode.Unauthenticated,
        StatusCodes.Status403Forbidden => StatusCode.PermissionDenied,
        StatusCodes.Status404NotFound => StatusCode.NotFound,
        StatusCodes.Status409Conflict => StatusCode.AlreadyExists,
        StatusCodes.Status412PreconditionFailed => StatusCode.FailedPrecondition,
        StatusCodes.Status413PayloadTooLarge or StatusCodes.Status429TooManyRequests => StatusCode.ResourceExhausted,
        StatusCodes.Status501NotImplemented => StatusCode.Unimplemented,
        StatusCodes.Status503ServiceUnavailable => StatusCode.Unavailable,
        >= 500 => StatusCode.Internal,
        _ => null,
    };
}
