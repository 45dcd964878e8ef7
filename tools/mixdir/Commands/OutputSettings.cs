using System.ComponentModel;
using Mixnet.Directory.Cli.Rendering;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>The option every mixdir command has: <c>-o table|json</c>.</summary>
public class OutputSettings : CommandSettings
{
    [CommandOption("-o|--output <FORMAT>")]
    [Description("table (for people, the default) or json (for scripts; one object per line for watch and metrics --follow).")]
    public string? Output { get; init; }

    /// <summary>How the result is printed: <c>-o</c>, or a command's <c>--json</c> alias, or the command's default.</summary>
    public OutputFormat Format => JsonAlias ? OutputFormat.Json : Output?.Trim().ToLowerInvariant() switch
    {
        "json" => OutputFormat.Json,
        "table" => OutputFormat.Table,
        _ => DefaultFormat,
    };

    /// <summary>Whether a command's own <c>--json</c> flag is set (kept where it existed before <c>-o</c>).</summary>
    protected virtual bool JsonAlias => false;

    /// <summary>The format when <c>-o</c> is not given.</summary>
    protected virtual OutputFormat DefaultFormat => OutputFormat.Table;

    public override ValidationResult Validate()
    {
        if (Output is not null && Output.Trim().ToLowerInvariant() is not ("json" or "table"))
        {
            return ValidationResult.Error($"-o: '{Output}' is not an output format; use table or json.");
        }

        return ValidationResult.Success();
    }
}
