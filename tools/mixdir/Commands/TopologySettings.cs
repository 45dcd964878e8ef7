using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>Options of <c>mixdir topology</c>.</summary>
public sealed class TopologySettings : DirectorySettings
{
    [CommandOption("--json")]
    [Description("The same as -o json: the topology as JSON (keys in hex) and nothing else.")]
    public bool Json { get; init; }

    [CommandOption("--layer <N>")]
    [Description("Only layer N (1..3), or 0 for the gateways.")]
    public int? Layer { get; init; }

    protected override bool JsonAlias => Json;

    public override ValidationResult Validate()
    {
        if (Layer is < 0 or > 3)
        {
            return ValidationResult.Error($"--layer: {Layer} is not a layer; use 1..3 for mixnodes or 0 for gateways.");
        }

        return base.Validate();
    }
}
