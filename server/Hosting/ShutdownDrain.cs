using Microsoft.Extensions.Options;

namespace Mixnet.Directory.Server.Hosting;

/// <summary>
/// On shutdown, health reports NOT_SERVING at once (the application is stopping) while the
/// directory goes on answering heartbeats for <see cref="DirectoryOptions.ShutdownDrain"/>,
/// so load balancers move traffic away before connections close and nodes are not told
/// NOT_FOUND and made to re-register needlessly.
/// </summary>
internal sealed class ShutdownDrain(IOptions<DirectoryOptions> options, DrainState state, TimeProvider time, ILogger<ShutdownDrain> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (state.IsDraining)
        {
            return; // A second stop (stop, then dispose) does not drain again.
        }

        state.Begin();
        var drain = options.Value.ShutdownDrain;
        if (drain > TimeSpan.Zero)
        {
            DirectoryLog.Draining(logger, drain);
            try
            {
                await Task.Delay(drain, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown timeout ended the drain early.
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
