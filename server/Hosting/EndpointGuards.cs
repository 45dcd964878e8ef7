using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Mixnet.Directory.Server.Hosting;

/// <summary>
/// Guards the two HTTP pages that are not the API: <c>/docs</c> (Swagger UI) gets a
/// Content-Security-Policy, and <c>/metrics</c> (Prometheus) is served only on
/// <c>Directory:MetricsPort</c> and to <c>Directory:MetricsToken</c> when those are set.
/// </summary>
internal sealed class EndpointGuards(RequestDelegate next, IOptions<DirectoryOptions> options)
{
    // Swagger UI loads its own scripts and styles from /docs and sets inline style attributes.
    private const string DocsPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly byte[]? _metricsToken = options.Value.MetricsToken is { Length: > 0 } token ? Encoding.UTF8.GetBytes("Bearer " + token) : null;
    private readonly int? _metricsPort = options.Value.MetricsPort;

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/docs", StringComparison.Ordinal))
        {
            context.Response.Headers.ContentSecurityPolicy = DocsPolicy;
            context.Response.Headers.XContentTypeOptions = "nosniff";
        }
        else if (path.StartsWithSegments("/metrics", StringComparison.Ordinal))
        {
            if (_metricsPort is { } port && context.Connection.LocalPort != port)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            if (_metricsToken is not null && !HasToken(context.Request.Headers.Authorization.ToString()))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return Task.CompletedTask;
            }
        }

        return next(context);
    }

    private bool HasToken(string header) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), _metricsToken);
}
