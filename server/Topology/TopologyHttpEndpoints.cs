using Microsoft.Extensions.Primitives;

namespace Mixnet.Directory.Server.Topology;

/// <summary>Registration of the topology's HTTP routes (see <see cref="TopologyHttpRoutes"/>).</summary>
internal static class TopologyHttpEndpoints
{
    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    public static IServiceCollection AddTopologyHttp(this IServiceCollection services)
    {
        services.AddOptions<TopologyHttpOptions>()
            .BindConfiguration(Hosting.DirectoryOptions.SectionName)
            .Validate(o => o.TopologyMaxAge >= TimeSpan.Zero && o.TopologyVersionedMaxAge >= TimeSpan.Zero, "Directory:TopologyMaxAge and Directory:TopologyVersionedMaxAge must not be negative")
            .ValidateOnStart();
        services.AddSingleton<TopologyHttpStats>();
        services.AddSingleton<TopologyHttpRoutes>();
        return services;
    }

    /// <summary>
    /// Accepts identity keys in hex or base64url where the transcoded routes take one, in the query
    /// (<c>/v1/nodes:lookup?identityKey=</c>) or the JSON body (heartbeat, deregister, bans),
    /// handing the transcoder the base64 it expects.
    /// </summary>
    public static IApplicationBuilder UseIdentityKeyNormalization(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (IdentityKeyBodyNormalizer.Applies(context.Request))
            {
                await IdentityKeyBodyNormalizer.RewriteAsync(context.Request);
            }
            else if (context.Request.Path.Equals("/v1/nodes:lookup", StringComparison.Ordinal))
            {
                await NormalizeQueryAsync(context);
                if (context.Response.HasStarted || context.Response.StatusCode != StatusCodes.Status200OK)
                {
                    return;
                }
            }

            await next(context);
        });

    private static Task NormalizeQueryAsync(HttpContext context)
    {
        var query = context.Request.Query;
        foreach (var name in (ReadOnlySpan<string>)["identityKey", "identity_key"])
        {
            if (!query.TryGetValue(name, out var value))
            {
                continue;
            }

            var routes = context.RequestServices.GetRequiredService<TopologyHttpRoutes>();
            if (value.Count != 1)
            {
                return routes.RefuseParameter(context, name, "must be given once");
            }

            if (!NodeIdText.TryParse(value[0], out var key, out var error))
            {
                return routes.RefuseParameter(context, name, error);
            }

            var rewritten = query.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            rewritten[name] = new StringValues(Convert.ToBase64String(key));
            context.Request.QueryString = QueryString.Create(rewritten);
            break;
        }

        return Task.CompletedTask;
    }

    public static IEndpointRouteBuilder MapTopologyHttp(this IEndpointRouteBuilder endpoints)
    {
        var routes = endpoints.ServiceProvider.GetRequiredService<TopologyHttpRoutes>();

        // Order -1 wins over the transcoded GET /v1/topology (same JSON body, but no ETag or
        // Cache-Control). None of these routes is in the OpenAPI document: it lists the gRPC
        // contract's routes, and /v1/topology is already there.
        endpoints.MapMethods("/v1/topology", GetOrHead, routes.Latest).WithOrder(-1).ExcludeFromDescription();
        endpoints.MapMethods("/v1/topology/view", GetOrHead, routes.Decoded).ExcludeFromDescription();
        endpoints.MapMethods("/v1/topology/{version}", GetOrHead, routes.Versioned).ExcludeFromDescription();
        endpoints.MapMethods("/v1/nodes/{id}", GetOrHead, routes.Node).ExcludeFromDescription();
        return endpoints;
    }
}
