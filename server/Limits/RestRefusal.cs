using System.Globalization;

namespace Mixnet.Directory.Server.Limits;

/// <summary>The REST side of a refusal: the status JSON the transcoder would write, and its headers.</summary>
internal static class RestRefusal
{
    public static Task TooLarge(HttpContext context, PathString path, int limit)
    {
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

    /// <summary>Response.OnStarting callback: a 429 always says when to come back.</summary>
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

        return Task.CompletedTask;
    }
}
