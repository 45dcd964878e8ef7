using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Domain;
using Mixnet.Directory.Server.Metrics;
using Mixnet.Directory.Server.Options;

namespace Mixnet.Directory.Server.Hosting;

/// <summary>Closes a metrics window every <see cref="DirectoryOptions.MetricsWindow"/>, on a <see cref="TimeProvider"/> timer.</summary>
internal sealed class MetricsWindowTicker(MetricsHub hub, NodeRegistry registry, IOptions<DirectoryOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MetricsWindow, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                hub.CloseWindow(time.GetUtcNow(), (uint)registry.LiveCount);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
