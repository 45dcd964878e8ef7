using Microsoft.AspNetCore.Http.Features;

namespace Mixnet.Directory.Server.Limits;

/// <summary>
/// Holds REST/JSON calls under /v1 to the same size limits as their gRPC methods: a body over
/// the limit is refused with 413 from its Content-Length, or as soon as reading passes the limit,
/// never parsed in full. Gives every 429 a <c>Retry-After</c> header. gRPC requests pass
/// straight through (the heartbeat path does no extra work here).
/// </summary>
internal sealed class RestLimitsMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/v1", StringComparison.Ordinal) || IsGrpc(request.ContentType))
        {
            return next(context);
        }

        var limit = RequestSizeLimits.JsonBodyFor(request.Path);
        if (request.ContentLength > limit)
        {
            return RestRefusal.TooLarge(context, request.Path, limit);
        }

        var bodySize = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (bodySize is { IsReadOnly: false })
        {
            bodySize.MaxRequestBodySize = limit;
            request.Body = new BodyLimitStream(request.Body, context);
        }

        context.Response.OnStarting(RestRefusal.AddRetryAfter, context);
        return next(context);
    }

    private static bool IsGrpc(string? contentType) =>
        contentType is not null && contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);
}
