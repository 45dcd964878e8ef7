using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Hosting;

namespace Mixnet.Directory.Server.Quality;

/// <summary>Scores one quality period every <see cref="QualityOptions.Period"/>.</summary>
internal sealed class QualityLoop(QualityTracker tracker, IOptions<DirectoryOptions> options, TimeProvider time, ILogger<QualityLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Quality.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Quality.Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    tracker.Tick();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    QualityLog.PeriodFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        try
        {
            tracker.SaveNow(); // the directory is stopping: keep the periods since the last save
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            QualityLog.PeriodFailed(logger, ex.Message);
        }
    }
}
