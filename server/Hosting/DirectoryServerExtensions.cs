using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Domain;
using Grpc.AspNetCore.Server.Model;
using Mixnet.Directory.Server.Keys;
using Mixnet.Directory.Server.Metrics;
using Mixnet.Directory.Server.Options;
using Mixnet.Directory.Server.Services;
using Mixnet.Directory.Server.Telemetry;
using Mixnet.Directory.Server.Topology;

namespace Mixnet.Directory.Server.Hosting;

/// <summary>Registration of the directory in a web application: services in, endpoints out.</summary>
public static class DirectoryServerExtensions
{
    /// <summary>Adds the directory's options, domain types, gRPC services and background work.</summary>
    /// <param name="builder">The web application builder.</param>
    public static WebApplicationBuilder AddMixnetDirectory(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<DirectoryOptions>().BindConfiguration(DirectoryOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DirectoryOptions>, DirectoryOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<NodeRegistry>();
        services.AddSingleton<DirectorySigningKey>();
        services.AddSingleton<TopologyPublisher>();
        services.AddSingleton<MetricsHub>();
        services.AddSingleton<MetricsGrpcService>();
        services.AddSingleton<DirectoryInstruments>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<MetricsGrpcService>, MetricsServiceMethodProvider>());
        services.AddHostedService<DirectoryStartup>();
        services.AddHostedService<ExpirySweeper>();
        services.AddHostedService<TopologyPublisherService>();
        services.AddHostedService<MetricsWindowTicker>();

        // Requests are small: a signed descriptor is a few hundred bytes. Tight limits per
        // service keep a caller from making the server buffer megabytes.
        services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = 64 * 1024;
            options.EnableDetailedErrors = false;
        })
            .AddServiceOptions<RegistryGrpcService>(o => o.MaxReceiveMessageSize = 4 * 1024)
            .AddServiceOptions<PresenceGrpcService>(o => o.MaxReceiveMessageSize = 1024)
            .AddServiceOptions<TopologyGrpcService>(o => o.MaxReceiveMessageSize = 1024)
            .AddServiceOptions<MetricsGrpcService>(o => o.MaxReceiveMessageSize = 64 * 1024);
        services.AddGrpcHealthChecks(o => o.Services.Map(string.Empty, _ => true))
            .AddCheck<DirectoryHealthCheck>("directory");
        services.AddGrpcReflection();
        return builder;
    }

    /// <summary>Maps the directory's gRPC services, health and reflection.</summary>
    /// <param name="app">The built web application.</param>
    public static WebApplication MapMixnetDirectory(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Browsers speak gRPC-Web over HTTP/1.1 on the Web endpoint; native clients use HTTP/2.
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        app.UseDashboard();
        app.MapGrpcService<RegistryGrpcService>();
        app.MapGrpcService<PresenceGrpcService>();
        app.MapGrpcService<TopologyGrpcService>();
        app.MapGrpcService<MetricsGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
