using Grpc.Core;
using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Client;
using Mixnet.Directory.Signing;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>
/// A command that talks to the directory: connects (checking the pinned key, failing fast when the
/// directory is unreachable), runs, and turns transport failures into a one-line message and exit 2.
/// </summary>
public abstract class DirectoryCommand<TSettings>(CliConsole console) : AsyncCommand<TSettings>
    where TSettings : DirectorySettings
{
    protected CliConsole Console { get; } = console;

    /// <summary>The data the command was registered with (<c>WithData</c> in <see cref="CliApp"/>), for a class that serves several commands.</summary>
    protected object? CommandData { get; private set; }

    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        CommandData = context.Data;
        if (CheckInput(settings) is { } problem)
        {
            Console.WriteError(problem);
            return ExitCodes.BadInput;
        }

        var address = settings.ResolveDirectory(Console.Environment);
        if (!DirectorySettings.IsHttpUrl(address))
        {
            Console.WriteError($"{DirectorySettings.DirectoryVariable}: '{address}' is not an http:// or https:// URL.");
            return ExitCodes.BadInput;
        }

        var pinned = settings.ResolvePinnedKey(Console.Environment, out var keyProblem);
        if (keyProblem is not null)
        {
            Console.WriteError(keyProblem);
            return ExitCodes.BadInput;
        }

        try
        {
            return await RunAsync(new DirectoryTarget(address, pinned, settings.CallTimeout), settings, cancellationToken);
        }
        catch (RpcException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("Cancelled by the user.", ex, cancellationToken);
        }
        catch (RpcException ex)
        {
            throw new DirectoryUnreachableException(CliErrors.DescribeFailure(address, ex), ex);
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DirectoryUnreachableException(CliErrors.DescribeFailure(address, ex), ex);
        }
        catch (TopologyVerificationException ex)
        {
            throw new DirectoryKeyMismatchException($"the directory at {address} sent data that does not verify: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Checks input that the settings cannot check on their own (it depends on the environment),
    /// before anything is sent; returns the error line, or null when the input is fine.
    /// </summary>
    protected virtual string? CheckInput(TSettings settings) => null;

    /// <summary>
    /// Connects through the SDK's <see cref="DirectoryClient"/>, checks the pinned key, and runs
    /// <see cref="RunAsync(DirectorySession, TSettings, CancellationToken)"/>. A command that must not
    /// ask the directory anything first (health) overrides this instead.
    /// </summary>
    protected virtual async Task<int> RunAsync(DirectoryTarget target, TSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var options = new DirectoryClientOptions
        {
            PinnedDirectoryKey = target.PinnedKey,
            MaxRetryAttempts = 2, // A person is waiting: fail fast rather than retry for seconds.
            CallTimeout = target.Timeout,
            ReconnectMaxBackoff = TimeSpan.FromSeconds(5),
        };

        // The SDK reconnects streams on its own and only logs it: this turns those log events into "reconnecting…" lines.
        using var loggers = new StreamStatusLoggerFactory(Console);
        await using var client = new DirectoryClient(new Uri(target.Address), options, loggers);
        var info = await client.GetDirectoryInfoAsync(cancellationToken);
        if (target.PinnedKey is { } pinned && !pinned.AsSpan().SequenceEqual(info.DirectoryKey.Span))
        {
            throw new DirectoryKeyMismatchException(
                $"the directory at {target.Address} presents key {info.Fingerprint}, not the pinned {KeyFingerprint.Of(pinned)}");
        }

        return await RunAsync(new DirectorySession(client, info, target.Address, target), settings, cancellationToken);
    }

    /// <summary>Runs the command against a directory that answered.</summary>
    protected virtual Task<int> RunAsync(DirectorySession session, TSettings settings, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} overrides neither RunAsync.");
}
