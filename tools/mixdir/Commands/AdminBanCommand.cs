using Google.Protobuf;
using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Cli.Rendering;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Cli.Commands;

/// <summary><c>mixdir admin ban &lt;id&gt;</c>: bans a node; it leaves the topology at once and is refused from then on.</summary>
public sealed class AdminBanCommand(CliConsole console) : AdminCommand<AdminBanSettings>(console)
{
    protected override async Task<int> RunAsync(AdminSession admin, DirectorySession session, AdminBanSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        var key = await NodeIds.ResolveAsync(session.Client, settings.Identity, session.Address, mustBeLive: false, cancellationToken);
        var request = new BanNodeRequest { IdentityKey = ByteString.CopyFrom(key), Reason = settings.Reason };
        var response = await admin.Client.BanNodeAsync(request, admin.CallOptions(cancellationToken));
        var ban = response.Ban ?? new Ban { IdentityKey = request.IdentityKey, Reason = request.Reason };
        if (settings.Format == OutputFormat.Json)
        {
            BansJson.WriteOne(Console.RawOut, ban);
            return ExitCodes.Success;
        }

        Console.RawOut.WriteLine(BanText.Banned(key, ban));
        Console.RawOut.Flush();
        return ExitCodes.Success;
    }
}
