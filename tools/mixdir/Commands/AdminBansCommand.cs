using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Cli.Rendering;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Cli.Commands;

/// <summary><c>mixdir admin bans</c>: every ban, oldest first, as a table or as JSON.</summary>
public sealed class AdminBansCommand(CliConsole console) : AdminCommand<AdminBansSettings>(console)
{
    protected override async Task<int> RunAsync(AdminSession admin, DirectorySession session, AdminBansSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(settings);
        var response = await admin.Client.ListBansAsync(new ListBansRequest(), admin.CallOptions(cancellationToken));
        if (settings.Format == OutputFormat.Json)
        {
            BansJson.Write(Console.RawOut, response.Bans);
            return ExitCodes.Success;
        }

        if (response.Bans.Count > 0)
        {
            Console.Out.Write(BanText.Table(response.Bans));
        }

        Console.RawOut.WriteLine(response.Bans.Count switch
        {
            0 => "no bans",
            1 => "1 ban",
            var n => $"{n} bans",
        });
        Console.RawOut.Flush();
        return ExitCodes.Success;
    }
}
