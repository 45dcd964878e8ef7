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

    /// <summary>How long a one-shot waits for a frame without --timeout: a window is 1 s by default, but a directory may use longer ones.</summary>
    private static readonly TimeSpan FirstFrameTimeout = TimeSpan.FromSeconds(30);

    protected override async Task<int> RunAsync(DirectorySession session, MetricsSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        // A node that is not in the topology would only ever show an empty table: say so instead.
        var filter = new List<byte[]>();
        foreach (var node in settings.Nodes)
        {
            filter.Add(await NodeIds.ResolveAsync(session.Client, node, session.Address, mustBeLive: true, cancellationToken));
        }

        var names = new NodeNames(session.Client, TimeProvider.System);
        return settings.Follow
            ? await FollowAsync(session, settings, filter, names, cancellationToken)
            : await OnceAsync(session, settings, filter, names, cancellationToken);
    }

    private async Task<int> OnceAsync(DirectorySession session, MetricsSettings settings, List<byte[]> filter, NodeNames names, CancellationToken cancellationToken)
    {
        // A window is 1 s by default but may be longer; an explicit --timeout bounds the wait instead.
        var wait = settings.HasTimeout ? settings.CallTimeout : FirstFrameTimeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        var stats = new TrafficStats(1);
        try
        {
            // One replayed frame is the latest closed window; without one, the next window.
            await foreach (var frame in session.Client.StreamMetricsAsync(filter, replayFrames: 1, timeout.Token))
            {
                stats.Add(frame);
                break;
            }
        }
        catch (Exception ex) when ((ex is OperationCanceledException or Grpc.Core.RpcException) && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new DirectoryUnreachableException($"the directory at {session.Address} sent no metrics frame within {Format.Duration(wait)}", ex);
        }

        if (settings.Format == OutputFormat.Json)
        {
            if (stats.Latest is { } frame)
            {
                MetricsJson.Write(Console.RawOut, frame, singleLine: false);
            }

            return ExitCodes.Success;
        }

        await names.RefreshAsync(stats.Busiest(settings.Top).Select(n => n.IdentityKey), cancellationToken);
        Console.Out.Write(MetricsView.Build(stats, names, settings.Top));
        return ExitCodes.Success;
    }

    private async Task<int> FollowAsync(DirectorySession session, MetricsSettings settings, List<byte[]> filter, NodeNames names, CancellationToken cancellationToken)
    {
        var stats = new TrafficStats(FollowFrames);
        var json = settings.Format == OutputFormat.Json;
        var frames = session.Client.StreamMetricsAsync(filter, replayFrames: json ? 1u : FollowFrames, cancellationToken);
        try
        {
            if (json)
            {
                await foreach (var frame in frames)
                {
                    MetricsJson.Write(Console.RawOut, frame, singleLine: true);
                }
            }
            else if (Console.IsInteractive)
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
            // Ctrl+C or SIGTERM: the normal way to end a live view.
        }

        return ExitCodes.Success;
    }

    private static async Task AddAsync(TrafficStats stats, NodeNames names, int top, MetricsFrame frame, CancellationToken cancellationToken)
    {
        stats.Add(frame);
        await names.RefreshAsync(stats.Busiest(top).Select(n => n.IdentityKey), cancellationToken);
    }
}
