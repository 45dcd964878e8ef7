using System.ComponentModel;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>Options of <c>mixdir keygen</c>.</summary>
public sealed class KeygenSettings : OutputSettings
{
    /// <summary>Where the identity goes when --out is not given.</summary>
    public const string DefaultPath = "node.identity";

    // Only the long name: -o is the output format, as on every command.
    [CommandOption("--out <PATH>")]
    [Description("Where to save the identity (default: node.identity). Written with owner-only permissions.")]
    public string Out { get; init; } = DefaultPath;

    [CommandOption("-f|--force")]
    [Description("Overwrite an existing file (the old identity is lost).")]
    public bool Force { get; init; }
}
