using System.ComponentModel;
using Mixnet.Directory.Cli.Nodes;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>
/// The identity file and the descriptor's fields: the options of <c>mixdir node register</c>, and
/// (without a directory) of <c>mixdir descriptor sign</c>.
/// </summary>
public class DescriptorSettings : NodeIdentitySettings, IDescriptorOptions
{
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

    public override ValidationResult Validate() =>
        DescriptorBuilder.Check(this) is { } problem ? ValidationResult.Error(problem) : base.Validate();
}
