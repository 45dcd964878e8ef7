using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Hosting;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Server.Telemetry;

namespace Mixnet.Directory.Server.Presence;

/// <summary>Drops nodes whose lease ran out, on a <see cref="TimeProvider"/> timer so tests can drive it.</summary>
internal sealed class ExpirySweeper(NodeRegistry registry, DirectoryInstruments instruments, IOptions<DirectoryOptions> options, TimeProvider time, ILogger<ExpirySweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ResolvedSweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var expired = registry.ExpireDue();
                    if (expired > 0)
                    {
                        instruments.Expired(expired);
                    }
                }
                catch (Exception ex)
                {
                    PresenceLog.SweepFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
