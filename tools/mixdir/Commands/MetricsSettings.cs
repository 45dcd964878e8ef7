using System.ComponentModel;
using Mixnet.Directory.Cli.Infrastructure;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>Options of <c>mixdir metrics</c>.</summary>
public sealed class MetricsSettings : DirectorySettings
{
    [CommandOption("-f|--follow")]
    [Description("Keep a live table of the busiest nodes and network totals (with -o json: one frame per line), until Ctrl+C.")]
    public bool Follow { get; init; }

    [CommandOption("--top <N>")]
    [Description("How many of the busiest nodes the table shows (default 10); JSON lists every node of the frame.")]
    [DefaultValue(10)]
    public int Top { get; init; } = 10;

    [CommandOption("--node <ID>")]
    [Description("Only these nodes (repeat the option): an id prefix or a full key of a node in the topology; network totals stay network-wide.")]
    public string[] Nodes { get; init; } = [];

    public override ValidationResult Validate()
    {
        if (Top is < 1 or > 10_000)
        {
            return ValidationResult.Error($"--top: {Top} is out of range; use 1..10000.");
        }

        foreach (var node in Nodes)
        {
            if (!NodeIds.IsValid(node))
            {
                return ValidationResult.Error(NodeIds.Invalid("--node", node));
            }
        }

        return base.Validate();
    }
}
