using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Hosting;
using Mixnet.Directory.Server.Topology;

namespace Mixnet.Directory.Server.Metrics;

/// <summary>Closes a metrics window every <see cref="DirectoryOptions.MetricsWindow"/>, on a <see cref="TimeProvider"/> timer.</summary>
internal sealed class MetricsWindowTicker(MetricsHub hub, Membership membership, IOptions<DirectoryOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MetricsWindow, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                hub.CloseWindow(time.GetUtcNow(), (uint)membership.Count);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
