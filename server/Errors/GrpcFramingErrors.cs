using Grpc.Core;

namespace Mixnet.Directory.Server.Errors;

/// <summary>
/// grpc-dotnet answers a request whose body ends before its length prefix does with INTERNAL
/// ("Incomplete message."), as if the server were broken. It is the caller's malformed input,
/// so this middleware rewrites that one status to INVALID_ARGUMENT. It looks only at responses
/// that have not started when the call ends (trailers-only errors); a successful call has sent
/// its message by then, so the heartbeat path costs one property read.
/// </summary>
internal sealed class GrpcFramingErrors(RequestDelegate next)
{
    private const string Incomplete = "Incomplete message.";

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        var headers = response.Headers;
        if (headers["grpc-status"] == ((int)StatusCode.Internal).ToString(System.Globalization.CultureInfo.InvariantCulture)
            && headers["grpc-message"] == Incomplete)
        {
            headers["grpc-status"] = ((int)StatusCode.InvalidArgument).ToString(System.Globalization.CultureInfo.InvariantCulture);
            headers["grpc-message"] = "request is not a complete gRPC message: the body ended before the length its prefix declared";
        }
    }
}
