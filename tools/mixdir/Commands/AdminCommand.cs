using Grpc.Core;
using Mixnet.Directory.Cli.Infrastructure;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>
/// A <c>mixdir admin</c> command: refuses to start without a token, connects like every other
/// command (so a pinned --directory-key is checked before the token is sent), then calls
/// AdminService with the token. A refused token, or a directory without admin tokens, is exit 5.
/// </summary>
public abstract class AdminCommand<TSettings>(CliConsole console) : DirectoryCommand<TSettings>(console)
    where TSettings : AdminSettings
{
    protected sealed override string? CheckInput(TSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.CheckToken(Console.Environment);
    }

    protected sealed override async Task<int> RunAsync(DirectorySession session, TSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        var token = settings.ResolveToken(Console.Environment, out _)
            ?? throw new InvalidOperationException("CheckInput lets no admin command run without a token.");
        var address = new Uri(session.Address);
        if (address.Scheme == Uri.UriSchemeHttp && !address.IsLoopback)
        {
            Console.WriteError($"warning: {session.Address} is plain http, so the admin token travels unencrypted; use https:// outside a trusted network.");
        }

        using var admin = AdminSession.Open(session.Target, token);
        try
        {
            return await RunAsync(admin, session, settings, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unauthenticated && !cancellationToken.IsCancellationRequested)
        {
            Console.WriteError($"the admin token was refused by the directory at {session.Address}");
            return ExitCodes.NotAuthorized;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented && !cancellationToken.IsCancellationRequested)
        {
            Console.WriteError($"the directory has no admin tokens configured ({session.Address} does not serve AdminService)");
            return ExitCodes.NotAuthorized;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument && !cancellationToken.IsCancellationRequested)
        {
            Console.WriteError($"the directory at {session.Address} refused the request: {ex.Status.Detail}");
            return ExitCodes.BadInput;
        }

        // Any other failure (unreachable, no answer in time) is the base class's exit 2.
    }

    /// <summary>Runs the command against AdminService; every call takes <see cref="AdminSession.CallOptions"/>. <paramref name="session"/> resolves id prefixes.</summary>
    protected abstract Task<int> RunAsync(AdminSession admin, DirectorySession session, TSettings settings, CancellationToken cancellationToken);
}
