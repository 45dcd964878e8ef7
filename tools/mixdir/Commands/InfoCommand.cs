using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Cli.Rendering;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Cli.Commands;

/// <summary><c>mixdir info</c>: who the directory is and what it tells nodes.</summary>
public sealed class InfoCommand(CliConsole console) : DirectoryCommand<DirectorySettings>(console)
{
    protected override Task<int> RunAsync(DirectorySession session, DirectorySettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        var info = session.Info;
        var fields = new Fields()
            .Add("directory", session.Address)
            .Add("key fingerprint", info.Fingerprint)
            .Add("key", KeyFingerprint.Hex(info.DirectoryKey.Span))
            .Add("presence ttl", Format.Duration(info.Ttl))
            .Add("heartbeat interval", Format.Duration(info.HeartbeatInterval))
            .Add("server version", info.ServerVersion);
        if (settings.PinnedKey is not null)
        {
            fields.Add("pinned key", "matches");
        }

        fields.WriteTo(Console.RawOut);
        return Task.FromResult(ExitCodes.Success);
    }
}
