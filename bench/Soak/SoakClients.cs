using Mixnet.Directory.Bench.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Bench.Soak;

/// <summary>The generated clients the simulated nodes share, one connection each from a pool picked round-robin per agent.</summary>
internal sealed class SoakClients(ChannelPool channels, int index)
{
    public RegistryService.RegistryServiceClient Registry { get; } = new(channels[index]);

    public PresenceService.PresenceServiceClient Presence { get; } = new(channels[index]);

    public MetricsService.MetricsServiceClient Metrics { get; } = new(channels[index]);
}
