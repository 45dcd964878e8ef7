using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>Options of <c>mixdir authority keygen</c>.</summary>
public sealed class AuthorityKeygenSettings : OutputSettings
{
    [CommandOption("--out <PATH>")]
    [Description("Required: where to save the authority's signing key (the directory's Directory:SigningKeyPath). Written with owner-only permissions; an existing file is never replaced.")]
    public string? Out { get; init; }

    [CommandOption("--name <NAME>")]
    [Description("The authority's name in the printed configuration (default: authority).")]
    public string Name { get; init; } = "authority";

    [CommandOption("--address <URL>")]
    [Description("The authority's gRPC address other authorities and clients use, for the printed configuration (e.g. http://10.0.0.2:5000).")]
    public string? Address { get; init; }

    [CommandOption("--index <N>")]
    [Description("Its position n in Directory:Authorities:<n> for the printed configuration (default 0).")]
    public int Index { get; init; }

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Out))
        {
            return ValidationResult.Error("--out: required; name the key file, e.g. --out auth1/directory.key.");
        }

        if (Address is not null && !DirectorySettings.IsHttpUrl(Address))
        {
            return ValidationResult.Error($"--address: '{Address}' is not an http:// or https:// URL.");
        }

        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 64)
        {
            return ValidationResult.Error("--name: give 1..64 characters.");
        }

        return Index < 0 ? ValidationResult.Error($"--index: must be 0 or more, got {Index}.") : base.Validate();
    }
}
