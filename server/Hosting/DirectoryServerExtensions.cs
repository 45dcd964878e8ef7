using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Admin;
using Mixnet.Directory.Server.Keys;
using Mixnet.Directory.Server.Limits;
using Mixnet.Directory.Server.Metrics;
using Mixnet.Directory.Server.Presence;
using Mixnet.Directory.Server.Quality;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Server.Telemetry;
using Mixnet.Directory.Server.Topology;
using Grpc.AspNetCore.Server.Model;

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
        services.AddSingleton<BanList>();
        services.AddSingleton<AdminAuthenticator>();
        services.AddSingleton<ClientRateLimiter>();
        services.AddSingleton<StreamGate>();
        services.AddSingleton<Leases>();
        services.AddSingleton<Membership>();
        services.AddSingleton<NodeRegistry>();
        services.AddSingleton<DirectorySigningKey>();
        services.AddSingleton<TopologyPublisher>();
        services.AddSingleton<MetricsHub>();
        services.AddSingleton<QualityTracker>();
        services.AddSingleton<MetricsGrpcService>();
        services.AddSingleton<DirectoryInstruments>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<MetricsGrpcService>, MetricsServiceMethodProvider>());
        services.AddHostedService<DirectoryStartup>();
        services.AddHostedService<ExpirySweeper>();
        services.AddHostedService<TopologyPublisherService>();
        services.AddHostedService<MetricsWindowTicker>();
        services.AddHostedService<QualityLoop>();

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
            .AddServiceOptions<MetricsGrpcService>(o => o.MaxReceiveMessageSize = 64 * 1024)
            .AddServiceOptions<AdminGrpcService>(o => o.MaxReceiveMessageSize = 4 * 1024);
        services.AddSingleton<DrainState>();
        services.AddHostedService<ShutdownDrain>();

        // One implementation serves gRPC, gRPC-Web and JSON (google.api.http routes under /v1).
        // The error details (google.rpc.BadRequest) must be known to render them as JSON.
        services.AddGrpc().AddJsonTranscoding(o => o.TypeRegistry = Google.Protobuf.Reflection.TypeRegistry.FromMessages(Google.Rpc.BadRequest.Descriptor));

        // MetricsService is bound by its own method provider (shared frame bytes), not generated
        // code, so it has no JSON routes; the transcoder's warning about that is expected.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Grpc.JsonTranscoding.Internal.Binding.JsonTranscodingServiceMethodProvider", LogLevel.Error);
        services.AddGrpcSwagger();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new Microsoft.OpenApi.Models.OpenApiInfo
            {
                Title = "Mixnet Directory",
                Version = "v1",
                Description = "REST/JSON view of the mixnet.directory.v1 gRPC services. Bytes fields are base64.",
            });
            var docs = Path.Combine(AppContext.BaseDirectory, "Mixnet.Directory.Contracts.xml");
            if (File.Exists(docs))
            {
                o.IncludeXmlComments(docs);
                o.IncludeGrpcXmlComments(docs, includeControllerXmlComments: true);
            }
        });

        // Without a service name the exporter labels everything "unknown_service:<process>".
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(DirectoryInstruments.ServiceName))
            .WithMetrics(metrics => metrics
            .AddMeter(DirectoryInstruments.MeterName)
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Grpc.AspNetCore.Server")
            .AddPrometheusExporter());

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
        app.UseSwagger();
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/swagger/v1/swagger.json", "Mixnet Directory v1");
            o.RoutePrefix = "docs";
            o.DocumentTitle = "Mixnet Directory API";
        });
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapGrpcService<RegistryGrpcService>();
        app.MapGrpcService<PresenceGrpcService>();
        app.MapGrpcService<TopologyGrpcService>();
        app.MapGrpcService<MetricsGrpcService>();
        if (app.Services.GetRequiredService<AdminAuthenticator>().Enabled)
        {
            app.MapGrpcService<AdminGrpcService>();
        }
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
