namespace Mixnet.Directory.Server.Registry;

/// <summary>
/// Writes the replay marks at most once a second while they change, and once more on shutdown,
/// so a restart does not reopen the door to captured registrations. Being constructed at start
/// also loads the marks (through <see cref="NodeRegistry"/>), so a corrupt file stops start-up.
/// </summary>
internal sealed class ReplayMarkWriter(NodeRegistry registry, TimeProvider time, ILogger<ReplayMarkWriter> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        TrySave();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            do
            {
                TrySave();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // Shutdown: StopAsync writes the last state.
        }
    }

    private void TrySave()
    {
        try
        {
            registry.SaveMarks();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            RegistryLog.MarksNotSaved(logger, registry.MarksPath, ex.Message);
        }
    }
}
