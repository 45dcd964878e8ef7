using System.ComponentModel;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>Options of <c>mixdir admin bans</c>.</summary>
public sealed class AdminBansSettings : AdminSettings
{
    [CommandOption("--json")]
    [Description("Print the bans as JSON (full identity keys in hex) and nothing else.")]
    public bool Json { get; init; }
}
