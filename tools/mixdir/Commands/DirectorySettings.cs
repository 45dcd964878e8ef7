using System.ComponentModel;
using Mixnet.Directory.Signing;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>The options every command that talks to the directory has.</summary>
public class DirectorySettings : CommandSettings
{
    /// <summary>Used when neither --directory nor MIXDIR_DIRECTORY is given.</summary>
    public const string DefaultDirectory = "http://localhost:5000";

    /// <summary>The environment variable that sets the directory address.</summary>
    public const string DirectoryVariable = "MIXDIR_DIRECTORY";

    [CommandOption("--directory <URL>")]
    [Description("The directory's gRPC address (default: $MIXDIR_DIRECTORY, else http://localhost:5000).")]
    public string? Directory { get; init; }

    [CommandOption("--directory-key <KEY>")]
    [Description("Pin the directory's Ed25519 public key (64 hex digits or base64); refuse a directory that presents another.")]
    public string? DirectoryKey { get; init; }

    /// <summary>The parsed <see cref="DirectoryKey"/>, or null when none is pinned.</summary>
    public byte[]? PinnedKey => DirectoryKey is not null && KeyFingerprint.TryParse(DirectoryKey, out var key) ? key : null;

    /// <summary>The directory address from the option, the environment or the default.</summary>
    public string ResolveDirectory(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var text = Directory;
        if (string.IsNullOrWhiteSpace(text))
        {
            text = environment(DirectoryVariable);
        }

        return string.IsNullOrWhiteSpace(text) ? DefaultDirectory : text.Trim();
    }

    public override ValidationResult Validate()
    {
        if (Directory is not null && !IsHttpUrl(Directory))
        {
            return ValidationResult.Error($"--directory: '{Directory}' is not an http:// or https:// URL.");
        }

        if (DirectoryKey is not null && PinnedKey is null)
        {
            return ValidationResult.Error($"--directory-key: '{DirectoryKey}' is not a 32-byte key in hex (64 digits) or base64.");
        }

        return ValidationResult.Success();
    }

    /// <summary>Whether <paramref name="text"/> is an absolute http or https URL.</summary>
    public static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
