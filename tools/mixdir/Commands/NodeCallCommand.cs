using Grpc.Core;
using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Client;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>
/// A <c>mixdir node</c> command that acts as the node (register, heartbeat, deregister): loads the
/// identity file, connects like every command (a pinned key is checked first), then calls the
/// registry or presence service. The directory's refusals get their own exit codes.
/// </summary>
public abstract class NodeCallCommand<TSettings>(CliConsole console) : DirectoryCommand<TSettings>(console)
    where TSettings : NodeIdentitySettings
{
    protected override string? CheckInput(TSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return File.Exists(settings.IdentityPath)
            ? null
            : $"--identity: '{settings.IdentityPath}' does not exist; create an identity with 'mixdir keygen --out {settings.IdentityPath}'.";
    }

    protected sealed override async Task<int> RunAsync(DirectorySession session, TSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        using var identity = Nodes.DescriptorBuilder.LoadIdentity(settings.IdentityPath);
        using var channel = session.Target.OpenChannel();
        try
        {
            return await RunAsync(channel.CreateCallInvoker(), identity, session, settings, cancellationToken);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested && Refusal(ex.StatusCode) is { } code)
        {
            Console.WriteError($"the directory at {session.Address} refused: {ex.StatusCode}: {ex.Status.Detail}");
            return code;
        }
    }

    /// <summary>Makes the call as <paramref name="identity"/>; every call takes <c>session.Target.CallOptions</c>.</summary>
    protected abstract Task<int> RunAsync(CallInvoker invoker, NodeIdentity identity, DirectorySession session, TSettings settings, CancellationToken cancellationToken);

    /// <summary>The exit code of a refusal, or null for a failure (unreachable, no answer: the base class's exit 2).</summary>
    private static int? Refusal(StatusCode status) => status switch
    {
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange or StatusCode.AlreadyExists => ExitCodes.BadInput,
        StatusCode.NotFound => ExitCodes.NotFound,
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => ExitCodes.NotAuthorized,
        _ => null,
    };
}
