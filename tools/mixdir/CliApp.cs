using Microsoft.Extensions.DependencyInjection;
using Mixnet.Directory.Cli.Commands;
using Mixnet.Directory.Cli.Infrastructure;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli;

/// <summary>The mixdir command line, runnable in-process with any output writers (tests do so).</summary>
public static class CliApp
{
    /// <summary>Runs mixdir with <paramref name="args"/>.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="output">Where results go (stdout).</param>
    /// <param name="error">Where errors go (stderr).</param>
    /// <param name="environment">Reads environment variables (MIXDIR_DIRECTORY, MIXDIR_ADMIN_TOKEN); none when null.</param>
    /// <param name="cancellationToken">Ends the command (Ctrl+C).</param>
    /// <returns>The exit code; see <see cref="ExitCodes"/>.</returns>
    public static Task<int> RunAsync(
        string[] args,
        TextWriter output,
        TextWriter error,
        Func<string, string?>? environment = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var console = new CliConsole(output, error, environment ?? (_ => null));
        var services = new ServiceCollection();
        services.AddSingleton(console);
        var app = new CommandApp(new TypeRegistrar(services));
        app.Configure(config =>
        {
            config.SetApplicationName("mixdir");
            config.ConfigureConsole(console.Out);
            config.SetExceptionHandler((ex, _) => CliErrors.Report(console, ex));
            config.AddCommand<InfoCommand>("info")
                .WithDescription("Show the directory's key fingerprint, TTL, heartbeat interval and version.");
            config.AddCommand<TopologyCommand>("topology")
                .WithDescription("List the live nodes by layer, or as JSON with --json.")
                .WithExample("topology", "--layer", "2")
                .WithExample("topology", "--json");
            config.AddCommand<NodeCommand>("node")
                .WithDescription("Show one node by its identity key (hex or base64).");
            config.AddCommand<WatchCommand>("watch")
                .WithDescription("Print topology changes as they happen, until Ctrl+C.");
            config.AddCommand<MetricsCommand>("metrics")
                .WithDescription("Show the latest traffic frame, or a live table with --follow.")
                .WithExample("metrics", "--follow", "--top", "20");
            config.AddCommand<KeygenCommand>("keygen")
                .WithDescription("Generate a node identity and save it with owner-only permissions.")
                .WithExample("keygen", "--out", "node.identity");
            config.AddBranch<AdminSettings>("admin", admin =>
            {
                admin.SetDescription("Operator actions: ban and unban nodes, list bans. Needs --token or $MIXDIR_ADMIN_TOKEN.");
                admin.AddCommand<AdminBanCommand>("ban")
                    .WithDescription("Ban a node: it leaves the topology at once and is refused from then on.")
                    .WithExample("admin", "ban", "<IDENTITY>", "--reason", "\"drops packets\"");
                admin.AddCommand<AdminUnbanCommand>("unban")
                    .WithDescription("Lift a node's ban.");
                admin.AddCommand<AdminBansCommand>("bans")
                    .WithDescription("List every ban, or as JSON with --json.")
                    .WithExample("admin", "bans", "--json");
            });
        });
        return app.RunAsync(GlobalOptions.MoveAfterCommand(args), cancellationToken);
    }
}
