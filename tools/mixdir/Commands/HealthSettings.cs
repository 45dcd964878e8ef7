using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>Options of <c>mixdir health</c>.</summary>
public sealed class HealthSettings : DirectorySettings
{
    [CommandOption("--service <NAME>")]
    [Description("The service to ask about (default: the empty name, the directory as a whole).")]
    public string Service { get; init; } = "";

    public override ValidationResult Validate()
    {
        // The directory's health service answers a name it does not know with NOT_FOUND; a long one is a typo, not a service.
        if (Service.Length > 200 || Service.Any(char.IsControl))
        {
            return ValidationResult.Error("--service: at most 200 printable characters.");
        }

        return base.Validate();
    }
}
