using Microsoft.Extensions.DependencyInjection;
using Mixnet.Directory.Cli.Commands;
using Mixnet.Directory.Cli.Infrastructure;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli;

/// <summary>The mixdir command line, runnable in-process with any output writers (tests do so).</summary>
public static class CliApp
{
    /// <summary>mixdir's version (the assembly's informational version, without a source revision suffix).</summary>
    public static string Version { get; } =
        (typeof(CliApp).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];

    /// <summary>Runs mixdir with <paramref name="args"/>.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="output">Where results go (stdout).</param>
    /// <param name="error">Where errors go (stderr).</param>
    /// <param name="environment">Reads environment variables (MIXDIR_DIRECTORY, MIXDIR_DIRECTORY_KEY, MIXDIR_ADMIN_TOKEN, MIXDIR_LEASE_TOKEN); none when null.</param>
    /// <param name="cancellationToken">Ends the command (SIGINT or SIGTERM).</param>
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
            config.SetApplicationVersion(Version);
            config.UseStrictParsing(); // An unknown option is an error, not silently ignored.
            config.CancellationExitCode(ExitCodes.Cancelled);
            config.ConfigureConsole(console.Out);
            config.SetExceptionHandler((ex, _) => CliErrors.Report(console, ex));
            config.AddCommand<InfoCommand>("info")
                .WithDescription("Show the directory's key fingerprint, TTL, heartbeat interval and version.");
            config.AddCommand<HealthCommand>("health")
                .WithDescription("Ask the directory's gRPC health service; exit 0 when SERVING, 1 otherwise, 2 when unreachable.");
            config.AddCommand<TopologyCommand>("topology")
                .WithDescription("List the live nodes by layer, or as JSON with -o json.")
                .WithExample("topology", "--layer", "2")
                .WithExample("topology", "-o", "json");
            config.AddCommand<ConsensusCommand>("consensus")
                .WithDescription("Fetch the authorities' signed consensus and check it against pinned keys: epoch, signers, node counts. Exit 4 when it does not verify.")
                .WithExample("consensus", "--authority", "http://127.0.0.1:7001=<KEY>", "--authority", "http://127.0.0.1:7002=<KEY>", "--authority", "http://127.0.0.1:7003=<KEY>")
                .WithExample("consensus", "--authority", "http://127.0.0.1:7001", "--no-verify", "-o", "json");
            config.AddBranch<DirectorySettings>("node", node =>
            {
                node.SetDescription("Show one node (mixdir node <ID>), or act as a node with an identity file: register, heartbeat, deregister.");
                node.AddExample("node", "072eef73");
                node.AddCommand<NodeCommand>("show")
                    .WithDescription("Show one node by id prefix or key; 'mixdir node <ID>' is short for it.")
                    .WithExample("node", "show", "072eef73");
                node.AddCommand<NodeRegisterCommand>("register")
                    .WithDescription("Sign a descriptor with the identity file and register it; prints the lease token and TTL.")
                    .WithExample("node", "register", "--identity", "node.identity", "--layer", "2", "--host", "203.0.113.7", "--mix-port", "1789", "--node-version", "1.0.0");
                node.AddCommand<NodeLeaseCommand>("heartbeat")
                    .WithData(LeaseCall.Heartbeat)
                    .WithDescription("Renew the node's lease once.")
                    .WithExample("node", "heartbeat", "--identity", "node.identity", "--lease", "<TOKEN>");
                node.AddCommand<NodeLeaseCommand>("deregister")
                    .WithData(LeaseCall.Deregister)
                    .WithDescription("Take the node out of the topology at once.")
                    .WithExample("node", "deregister", "--identity", "node.identity", "--lease", "<TOKEN>");
            });
            config.AddCommand<WatchCommand>("watch")
                .WithDescription("Print topology changes as they happen (-o json: one object per line), until Ctrl+C.");
            config.AddCommand<MetricsCommand>("metrics")
                .WithDescription("Show the latest traffic frame, or a live table with --follow.")
                .WithExample("metrics", "--follow", "--top", "20");
            config.AddCommand<KeygenCommand>("keygen")
                .WithDescription("Generate a node identity and save it with owner-only permissions.")
                .WithExample("keygen", "--out", "node.identity");
            config.AddBranch<OutputSettings>("authority", authority =>
            {
                authority.SetDescription("Directory authority keys, without a directory connection.");
                authority.AddCommand<AuthorityKeygenCommand>("keygen")
                    .WithDescription("Generate an authority signing key (the file Directory:SigningKeyPath names, mode 0600) and print its Directory:Authorities entry.")
                    .WithExample("authority", "keygen", "--out", "auth1/directory.key", "--name", "auth1", "--address", "http://10.0.0.2:5000");
            });
            config.AddBranch<OutputSettings>("descriptor", descriptor =>
            {
                descriptor.SetDescription("Node descriptors without a directory connection.");
                descriptor.AddCommand<DescriptorSignCommand>("sign")
                    .WithDescription("Print a signed RegisterNodeRequest as JSON, the body POST /v1/nodes:register accepts on the Web port.")
                    .WithExample("descriptor", "sign", "--identity", "node.identity", "--host", "203.0.113.7", "--mix-port", "1789", "--node-version", "1.0.0");
            });
            config.AddBranch<AdminSettings>("admin", admin =>
            {
                admin.SetDescription("Operator actions: ban and unban nodes, list bans. Needs --token or $MIXDIR_ADMIN_TOKEN.");
                admin.AddCommand<AdminBanCommand>("ban")
                    .WithDescription("Ban a node: it leaves the topology at once and is refused from then on.")
                    .WithExample("admin", "ban", "<ID>", "--reason", "\"drops packets\"");
                admin.AddCommand<AdminUnbanCommand>("unban")
                    .WithDescription("Lift a node's ban.");
                admin.AddCommand<AdminBansCommand>("bans")
                    .WithDescription("List every ban, or as JSON with -o json.")
                    .WithExample("admin", "bans", "-o", "json");
            });
        });
        return app.RunAsync(NodeShorthand.Expand(GlobalOptions.MoveAfterCommand(args)), cancellationToken);
    }
}
