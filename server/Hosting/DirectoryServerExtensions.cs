using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Admin;
using Mixnet.Directory.Server.Authorities;
using Mixnet.Directory.Server.Errors;
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
        services.AddKeyedSingleton<LogBudget>(AdminGrpcService.LogBudgetKey);
        services.AddSingleton<ClientRateLimiter>();
        services.AddSingleton<StreamGate>();
        services.AddSingleton<Leases>();
        services.AddSingleton<Membership>();
        services.AddSingleton<NodeRegistry>();
        services.AddSingleton<HostOwnership>();
        services.AddSingleton<DirectorySigningKey>();
        services.AddSingleton<TopologyPublisher>();
        services.AddSingleton<MetricsHub>();
        services.AddSingleton<QualityTracker>();
        services.AddSingleton<MetricsGrpcService>();
        services.AddSingleton<DirectoryInstruments>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<MetricsGrpcService>, MetricsServiceMethodProvider>());
        services.AddHostedService<DirectoryStartup>();
        services.AddHostedService<ReplayMarkWriter>();
        services.AddHostedService<ExpirySweeper>();
        services.AddHostedService<TopologyPublisherService>();
        services.AddHostedService<MetricsWindowTicker>();
        services.AddHostedService<QualityLoop>();

        // Requests are small: a signed descriptor is a few hundred bytes. Tight limits per
        // service keep a caller from making the server buffer megabytes.
        services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = RequestSizeLimits.Default;
            options.EnableDetailedErrors = false;
            options.CompressionProviders.Add(new BoundedGzipProvider());
        })
            .AddServiceOptions<RegistryGrpcService>(o => o.MaxReceiveMessageSize = RequestSizeLimits.Registry)
            .AddServiceOptions<PresenceGrpcService>(o => o.MaxReceiveMessageSize = RequestSizeLimits.Presence)
            .AddServiceOptions<TopologyGrpcService>(o => o.MaxReceiveMessageSize = RequestSizeLimits.Topology)
            .AddServiceOptions<MetricsGrpcService>(o => o.MaxReceiveMessageSize = RequestSizeLimits.Metrics)
            .AddServiceOptions<AdminGrpcService>(o => o.MaxReceiveMessageSize = RequestSizeLimits.Admin);
        builder.AddDirectoryAuthorities();
        services.AddSingleton<DrainState>();
        services.AddHostedService<ShutdownDrain>();

        // One implementation serves gRPC, gRPC-Web and JSON (google.api.http routes under /v1).
        // The error details (google.rpc.BadRequest) must be known to render them as JSON.
        services.AddGrpc().AddJsonTranscoding(o => o.TypeRegistry = Google.Protobuf.Reflection.TypeRegistry.FromMessages(Google.Rpc.BadRequest.Descriptor));

        // MetricsService is bound by its own method provider (shared frame bytes), not generated
        // code, so it has no JSON routes; the transcoder's warning about that is expected.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Grpc.JsonTranscoding.Internal.Binding.JsonTranscodingServiceMethodProvider", LogLevel.Error);
        // The only unhealthy state is draining (DirectoryHealthCheck), which DirectoryLog already
        // reports once; the health service would log an Error for every probe during a graceful
        // shutdown, and an operator's alerting would page on a normal restart.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.Critical);
        services.AddGrpcSwagger();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new Microsoft.OpenApi.Models.OpenApiInfo
            {
                Title = "Mixnet Directory",
                Version = "v1",
                Description = "REST/JSON view of the mixnet.directory.v1 gRPC services. Bytes fields are base64.",
            });
            o.SchemaFilter<BytesSchemaFilter>();
            var docs = Path.Combine(AppContext.BaseDirectory, "Mixnet.Directory.Contracts.xml");
            if (File.Exists(docs))
            {
                o.IncludeXmlComments(docs);
                o.IncludeGrpcXmlComments(docs, includeControllerXmlComments: true);
            }
        });

        // Without a service name the exporter labels everything "unknown_service:<process>".
        // Runtime (System.Runtime meter: GC heap size, collections by generation, working set)
        // and process (memory, CPU, threads) series let operators watch memory over time.
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(DirectoryInstruments.ServiceName))
            .WithMetrics(metrics => metrics
            .AddMeter(DirectoryInstruments.MeterName)
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Grpc.AspNetCore.Server")

            // Kestrel's pinned buffer pool: under a burst or an overload it can hold more than all
            // per-node state together (a 10,000-node soak on an overloaded machine: ~160 MB of
            // idle 4 KB blocks), and it is evicted only as the load falls.
            .AddMeter("Microsoft.AspNetCore.MemoryPool")

            // Small per-stream cardinality limits: the default preallocates 2,000 points a stream (9 MB).
            .AddView(MetricCardinality.Limit)
            .AddRuntimeInstrumentation()
            .AddProcessInstrumentation()
            .AddPrometheusExporter());

        services.AddDirectoryGrpcTooling()
            .AddHealthChecks().AddCheck<DirectoryHealthCheck>("directory");
        services.AddTopologyHttp();

        // Last: every AddGrpc() above registers grpc-dotnet's binder again.
        UseParseCheckingBinder(services);
        return builder;
    }

    // grpc-dotnet's binder provider reads requests with the generated marshallers, which answer
    // unparseable bytes with UNKNOWN; ours binds the same methods with marshallers that name the
    // message. Exactly one of them may bind, or every route would be ambiguous.
    private static void UseParseCheckingBinder(IServiceCollection services)
    {
        var binders = services.Where(d => d.ServiceType == typeof(IServiceMethodProvider<>) && d.ImplementationType?.Name == "BinderServiceMethodProvider`1").ToList();
        if (binders.Count == 0)
        {
            throw new InvalidOperationException("grpc-dotnet's BinderServiceMethodProvider was not registered; check ParseCheckingServiceMethodProvider against this Grpc.AspNetCore version.");
        }

        binders.ForEach(d => services.Remove(d));
        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(ParseCheckingServiceMethodProvider<>));
    }

    /// <summary>Maps the directory's gRPC services, health and reflection.</summary>
    /// <param name="app">The built web application.</param>
    public static WebApplication MapMixnetDirectory(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // First, so every limit and check sees the caller behind a trusted reverse proxy.
        app.UseTrustedProxies(app.Services.GetRequiredService<IOptions<DirectoryOptions>>().Value);
        // Browsers speak gRPC-Web over HTTP/1.1 on the Web endpoint; native clients use HTTP/2.
        app.UseMiddleware<GrpcRefusals>();
        app.UseMiddleware<EndpointGuards>();
        app.UseMiddleware<RestLimitsMiddleware>();
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        app.UseDashboard();
        app.UseIdentityKeyNormalization();
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
        app.MapDirectoryAuthorities();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        app.MapTopologyHttp();
        return app;
    }
}
