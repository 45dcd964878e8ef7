using Google.Protobuf;
using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Cli.Rendering;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Cli.Commands;

/// <summary><c>mixdir admin ban &lt;identity&gt;</c>: bans a node; it leaves the topology at once and is refused from then on.</summary>
public sealed class AdminBanCommand(CliConsole console) : AdminCommand<AdminBanSettings>(console)
{
    protected override async Task<int> RunAsync(AdminSession admin, AdminBanSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(settings);
        var request = new BanNodeRequest { IdentityKey = ByteString.CopyFrom(settings.IdentityKey), Reason = settings.Reason };
        var response = await admin.Client.BanNodeAsync(request, admin.CallOptions(cancellationToken));
        var ban = response.Ban ?? new Ban { IdentityKey = request.IdentityKey, Reason = request.Reason };
        Console.RawOut.WriteLine(BanText.Banned(settings.IdentityKey, ban));
        Console.RawOut.Flush();
        return ExitCodes.Success;
    }
}
