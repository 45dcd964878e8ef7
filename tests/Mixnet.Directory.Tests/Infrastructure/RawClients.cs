using Mixnet.Directory.Tests.Infrastructure;
using Grpc.Net.Client;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Infrastructure;

/// <summary>The generated clients over one channel: what an independent client written from DESIGN.md would use.</summary>
public sealed class RawClients(GrpcChannel channel)
{
    public RegistryService.RegistryServiceClient Registry { get; } = new(channel);

    public PresenceService.PresenceServiceClient Presence { get; } = new(channel);

    public TopologyService.TopologyServiceClient Topology { get; } = new(channel);

    public MetricsService.MetricsServiceClient Metrics { get; } = new(channel);
}
