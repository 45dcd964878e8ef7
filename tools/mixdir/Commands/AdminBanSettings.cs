using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>Options of <c>mixdir admin ban</c>.</summary>
public sealed class AdminBanSettings : AdminNodeSettings
{
    /// <summary>The longest reason the directory accepts.</summary>
    public const int MaxReasonLength = 256;

    [CommandOption("--reason <TEXT>")]
    [Description("Why, for the directory's audit trail (at most 256 characters).")]
    public string Reason { get; init; } = "";

    public override ValidationResult Validate()
    {
        if (Reason.Length > MaxReasonLength)
        {
            return ValidationResult.Error($"--reason: {Reason.Length} characters is too long; the directory accepts at most {MaxReasonLength}.");
        }

        if (Reason.Any(char.IsControl))
        {
            return ValidationResult.Error("--reason: must be one line of printable text (no control characters).");
        }

        return base.Validate();
    }
}
