using System.ComponentModel;
using Mixnet.Directory.Cli.Nodes;
using Mixnet.Directory.Cli.Rendering;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>
/// Options of <c>mixdir descriptor sign</c>: the same descriptor options as <c>node register</c>
/// (Spectre.Console.Cli binds options to properties, so they are declared here again), and no
/// directory options: it works offline.
/// </summary>
public sealed class DescriptorSignSettings : OutputSettings, IDescriptorOptions
{
    [CommandOption("-i|--identity <PATH>")]
    [Description("The node's identity file, as 'mixdir keygen' writes it (default: node.identity).")]
    [DefaultValue(KeygenSettings.DefaultPath)]
    public string IdentityPath { get; init; } = KeygenSettings.DefaultPath;

    [CommandOption("--role <ROLE>")]
    [Description("mixnode (default) or gateway.")]
    [DefaultValue("mixnode")]
    public string Role { get; init; } = "mixnode";

    [CommandOption("--layer <N>")]
    [Description("A mixnode's layer, 1..3 (default 1); gateways have none.")]
    public int? Layer { get; init; }

    [CommandOption("--host <HOST>")]
    [Description("Required: the IP address or DNS name other nodes reach this node at.")]
    public string? Host { get; init; }

    [CommandOption("--mix-port <PORT>")]
    [Description("Required: the port other nodes send packets to.")]
    public int? MixPort { get; init; }

    [CommandOption("--client-port <PORT>")]
    [Description("A gateway's port for clients (required for gateways, none for mixnodes).")]
    public int? ClientPort { get; init; }

    [CommandOption("--node-version <SEMVER>")]
    [Description("Required: the node software's version, e.g. 1.2.3.")]
    public string? NodeVersion { get; init; }

    [CommandOption("--location <TEXT>")]
    [Description("Where the node runs, e.g. \"Berlin, DE\" (at most 64 characters).")]
    public string Location { get; init; } = "";

    /// <summary>The point of the command is the JSON request; -o table shows the descriptor for people instead.</summary>
    protected override OutputFormat DefaultFormat => OutputFormat.Json;

    public override ValidationResult Validate() =>
        DescriptorBuilder.Check(this) is { } problem ? ValidationResult.Error(problem) : base.Validate();
}
