using Google.Protobuf;
using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Cli.Rendering;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Cli.Commands;

/// <summary><c>mixdir admin unban &lt;id&gt;</c>: lifts a ban; a node that was not banned is no error.</summary>
public sealed class AdminUnbanCommand(CliConsole console) : AdminCommand<AdminNodeSettings>(console)
{
    protected override async Task<int> RunAsync(AdminSession admin, DirectorySession session, AdminNodeSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        var key = await NodeIds.ResolveAsync(session.Client, settings.Identity, session.Address, mustBeLive: false, cancellationToken);
        var request = new UnbanNodeRequest { IdentityKey = ByteString.CopyFrom(key) };
        var response = await admin.Client.UnbanNodeAsync(request, admin.CallOptions(cancellationToken));
        if (settings.Format == OutputFormat.Json)
        {
            JsonOut.Write(Console.RawOut, json =>
            {
                json.WriteString("identity_key", KeyFingerprint.Hex(key));
                json.WriteBoolean("was_banned", response.WasBanned);
            });
            return ExitCodes.Success;
        }

        var id = KeyFingerprint.Abbreviate(key);
        Console.RawOut.WriteLine(response.WasBanned ? $"unbanned {id}" : $"{id} was not banned");
        Console.RawOut.Flush();
        return ExitCodes.Success;
    }
}
