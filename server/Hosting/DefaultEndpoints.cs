using Microsoft.Extensions.Configuration.Memory;

namespace Mixnet.Directory.Server.Hosting;

/// <summary>
/// The two default listeners of DESIGN.md §3: <c>Grpc</c> (HTTP/2, localhost:5000) and <c>Web</c>
/// (HTTP/1.1, localhost:5080), because browsers cannot speak cleartext HTTP/2. Settings for
/// either name override the defaults key by key. Configuring any other endpoint (for example
/// one <c>Https</c> endpoint serving both protocols over TLS) replaces both defaults.
/// </summary>
public static class DefaultEndpoints
{
    /// <summary>Adds the default endpoints, as the lowest-priority configuration, unless other endpoints are configured.</summary>
    /// <param name="builder">The web application builder.</param>
    public static WebApplicationBuilder UseDefaultDirectoryEndpoints(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configured = builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(c => c.Key);
        if (!configured.All(name => name is "Grpc" or "Web"))
        {
            return builder;
        }

        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Kestrel:Endpoints:Grpc:Url"] = "http://localhost:5000",
                ["Kestrel:Endpoints:Grpc:Protocols"] = "Http2",
                ["Kestrel:Endpoints:Web:Url"] = "http://localhost:5080",
                ["Kestrel:Endpoints:Web:Protocols"] = "Http1",
            },
        });
        return builder;
    }
}
