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
        if (settings.Format == OutputFormat.Json)
        {
            JsonOut.Write(Console.RawOut, json =>
            {
                json.WriteString("directory", session.Address);
                json.WriteString("key_fingerprint", info.Fingerprint);
                json.WriteString("directory_key", KeyFingerprint.Hex(info.DirectoryKey.Span));
                json.WriteSeconds("presence_ttl_seconds", info.Ttl);
                json.WriteSeconds("heartbeat_interval_seconds", info.HeartbeatInterval);
                json.WriteString("server_version", info.ServerVersion);
                json.WriteBoolean("key_pinned", session.Target.PinnedKey is not null);
            });
            return Task.FromResult(ExitCodes.Success);
        }

        var fields = new Fields()
            .Add("directory", session.Address)
            .Add("key fingerprint", info.Fingerprint)
            .Add("key", KeyFingerprint.Hex(info.DirectoryKey.Span))
            .Add("presence ttl", Format.Duration(info.Ttl))
            .Add("heartbeat interval", Format.Duration(info.HeartbeatInterval))
            .Add("server version", info.ServerVersion);
        if (session.Target.PinnedKey is not null)
        {
            fields.Add("pinned key", "matches");
        }

        fields.WriteTo(Console.RawOut);
        return Task.FromResult(ExitCodes.Success);
    }
}
