using System.ComponentModel;
using Mixnet.Directory.Signing;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>Options of <c>mixdir metrics</c>.</summary>
public sealed class MetricsSettings : DirectorySettings
{
    [CommandOption("-f|--follow")]
    [Description("Keep a live table of the busiest nodes and network totals, until Ctrl+C.")]
    public bool Follow { get; init; }

    [CommandOption("--top <N>")]
    [Description("How many of the busiest nodes to show (default 10).")]
    [DefaultValue(10)]
    public int Top { get; init; } = 10;

    [CommandOption("--node <IDENTITY>")]
    [Description("Only these nodes (repeat the option); network totals stay network-wide.")]
    public string[] Nodes { get; init; } = [];

    /// <summary>The parsed <see cref="Nodes"/>; valid after <see cref="Validate"/>.</summary>
    public IReadOnlyList<byte[]> NodeKeys => [.. Nodes.Select(n => KeyFingerprint.TryParse(n, out var key) ? key : [])];

    public override ValidationResult Validate()
    {
        if (Top is < 1 or > 10_000)
        {
            return ValidationResult.Error($"--top: {Top} is out of range; use 1..10000.");
        }

        foreach (var node in Nodes)
        {
            if (!KeyFingerprint.TryParse(node, out _))
            {
                return ValidationResult.Error($"--node: '{node}' is not a 32-byte key in hex (64 digits) or base64.");
            }
        }

        return base.Validate();
    }
}
