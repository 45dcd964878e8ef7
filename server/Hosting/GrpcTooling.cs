using Grpc.AspNetCore.HealthChecks;
using Grpc.Reflection;
using Grpc.Reflection.V1Alpha;
using Mixnet.Directory.Server.Admin;
using Mixnet.Directory.V1;
using ProtoServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Mixnet.Directory.Server.Hosting;

/// <summary>
/// What grpcurl, grpc_health_probe and load balancers see: server reflection lists every service
/// the directory serves, and <c>grpc.health.v1.Health/Check</c> answers for each by name.
/// </summary>
internal static class GrpcTooling
{
    /// <summary>The directory's own services, AdminService only when it is served.</summary>
    public static IReadOnlyList<ProtoServiceDescriptor> DirectoryServices(bool adminEnabled)
    {
        List<ProtoServiceDescriptor> services =
        [
            RegistryService.Descriptor,
            PresenceService.Descriptor,
            TopologyService.Descriptor,
            MetricsService.Descriptor,
        ];
        if (adminEnabled)
        {
            services.Add(AdminService.Descriptor);
        }

        return services;
    }

    public static IServiceCollection AddDirectoryGrpcTooling(this IServiceCollection services)
    {
        // Health: "" and every service name answer from the same checks (DirectoryHealthCheck,
        // and NOT_SERVING while draining), so a probe may ask either way.
        services.AddGrpcHealthChecks(o => o.Services.Map(string.Empty, _ => true));
        services.AddOptions<GrpcHealthChecksOptions>().Configure<AdminAuthenticator>((o, admin) =>
        {
            foreach (var service in DirectoryServices(admin.Enabled))
            {
                o.Services.Map(service.FullName, _ => true);
            }
        });

        // Reflection: the default discovery reads descriptors off generated base classes, and
        // MetricsService has none (its method provider binds it for the shared-frame fast path),
        // so the list is given here. Registered before AddGrpcReflection, whose TryAdd then keeps it.
        services.AddSingleton(provider => new ReflectionServiceImpl(
        [
            .. DirectoryServices(provider.GetRequiredService<AdminAuthenticator>().Enabled),
            Grpc.Health.V1.Health.Descriptor,
            ServerReflection.Descriptor,
        ]));
        services.AddGrpcReflection();
        return services;
    }
}
