using Google.Protobuf;
using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Cli.Commands;

/// <summary><c>mixdir admin unban &lt;identity&gt;</c>: lifts a ban; a node that was not banned is no error.</summary>
public sealed class AdminUnbanCommand(CliConsole console) : AdminCommand<AdminNodeSettings>(console)
{
    protected override async Task<int> RunAsync(AdminSession admin, AdminNodeSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(settings);
        var request = new UnbanNodeRequest { IdentityKey = ByteString.CopyFrom(settings.IdentityKey) };
        var response = await admin.Client.UnbanNodeAsync(request, admin.CallOptions(cancellationToken));
        var id = KeyFingerprint.Abbreviate(settings.IdentityKey);
        Console.RawOut.WriteLine(response.WasBanned ? $"unbanned {id}" : $"{id} was not banned");
        Console.RawOut.Flush();
        return ExitCodes.Success;
    }
}
