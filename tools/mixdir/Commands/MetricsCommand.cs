using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Cli.Metrics;
using Mixnet.Directory.Cli.Rendering;
using Mixnet.Directory.Client;
using Spectre.Console;

namespace Mixnet.Directory.Cli.Commands;

/// <summary><c>mixdir metrics</c>: the latest traffic frame, or with --follow a live table refreshed per frame.</summary>
public sealed class MetricsCommand(CliConsole console) : DirectoryCommand<MetricsSettings>(console)
{
    /// <summary>Frames summed for the live rates.</summary>
    private const int FollowFrames = 5;

    /// <summary>How long a one-shot waits for a frame: a window is 1 s by default, but a directory may use longer ones.</summary>
    private static readonly TimeSpan FirstFrameTimeout = TimeSpan.FromSeconds(30);

    protected override async Task<int> RunAsync(DirectorySession session, MetricsSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        var names = new NodeNames(session.Client, TimeProvider.System);
        return settings.Follow
            ? await FollowAsync(session, settings, names, cancellationToken)
            : await OnceAsync(session, settings, names, cancellationToken);
    }

    private async Task<int> OnceAsync(DirectorySession session, MetricsSettings settings, NodeNames names, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(FirstFrameTimeout);
        var stats = new TrafficStats(1);
        try
        {
            // One replayed frame is the latest closed window; without one, the next window.
            await foreach (var frame in session.Client.StreamMetricsAsync(settings.NodeKeys, replayFrames: 1, timeout.Token))
            {
                stats.Add(frame);
                break;
            }
        }
        catch (Exception ex) when ((ex is OperationCanceledException or Grpc.Core.RpcException) && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new DirectoryUnreachableException($"the directory at {session.Address} sent no metrics frame within {Format.Duration(FirstFrameTimeout)}", ex);
        }

        await names.RefreshAsync(stats.Busiest(settings.Top).Select(n => n.IdentityKey), cancellationToken);
        Console.Out.Write(MetricsView.Build(stats, names, settings.Top));
        return ExitCodes.Success;
    }

    private async Task<int> FollowAsync(DirectorySession session, MetricsSettings settings, NodeNames names, CancellationToken cancellationToken)
    {
        var stats = new TrafficStats(FollowFrames);
        var frames = session.Client.StreamMetricsAsync(settings.NodeKeys, replayFrames: FollowFrames, cancellationToken);
        try
        {
            if (Console.IsInteractive)
            {
                await Console.Out.Live(MetricsView.Waiting()).AutoClear(false).StartAsync(async live =>
                {
                    await foreach (var frame in frames)
                    {
                        await AddAsync(stats, names, settings.Top, frame, cancellationToken);
                        live.UpdateTarget(MetricsView.Build(stats, names, settings.Top));
                    }
                });
            }
            else
            {
                // Not a terminal (a file, a pipe): no cursor to move, so each frame's view follows the last.
                await foreach (var frame in frames)
                {
                    await AddAsync(stats, names, settings.Top, frame, cancellationToken);
                    Console.Out.Write(MetricsView.Build(stats, names, settings.Top));
                    Console.Out.WriteLine();
                    Console.RawOut.Flush();
                }
            }
        }
        catch (Exception ex) when ((ex is OperationCanceledException or Grpc.Core.RpcException) && cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: the normal way to end a live view.
        }

        return ExitCodes.Success;
    }

    private static async Task AddAsync(TrafficStats stats, NodeNames names, int top, MetricsFrame frame, CancellationToken cancellationToken)
    {
        stats.Add(frame);
        await names.RefreshAsync(stats.Busiest(top).Select(n => n.IdentityKey), cancellationToken);
    }
}
