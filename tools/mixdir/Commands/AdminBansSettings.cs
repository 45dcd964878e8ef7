using System.ComponentModel;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>Options of <c>mixdir admin bans</c>.</summary>
public sealed class AdminBansSettings : AdminSettings
{
    [CommandOption("--json")]
    [Description("The same as -o json: the bans as JSON (full identity keys in hex) and nothing else.")]
    public bool Json { get; init; }

    protected override bool JsonAlias => Json;
}
