using System.ComponentModel;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tools;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>The options every command that talks to the directory has.</summary>
public class DirectorySettings : OutputSettings
{
    /// <summary>Used when neither --directory nor MIXDIR_DIRECTORY is given.</summary>
    public const string DefaultDirectory = "http://localhost:5000";

    /// <summary>The environment variable that sets the directory address.</summary>
    public const string DirectoryVariable = "MIXDIR_DIRECTORY";

    /// <summary>The environment variable that pins the directory key when --directory-key is not given.</summary>
    public const string DirectoryKeyVariable = "MIXDIR_DIRECTORY_KEY";

    /// <summary>How long a call may take when --timeout is not given.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    [CommandOption("--directory <URL>")]
    [Description("The directory's gRPC address (default: $MIXDIR_DIRECTORY, else http://localhost:5000).")]
    public string? Directory { get; init; }

    [CommandOption("--directory-key <KEY>")]
    [Description("Pin the directory's Ed25519 public key (64 hex digits or base64; default: $MIXDIR_DIRECTORY_KEY); refuse a directory that presents another.")]
    public string? DirectoryKey { get; init; }

    [CommandOption("--timeout <TIME>")]
    [Description("How long connecting and each call may take, e.g. 5s, 500ms, 1m (default 10s).")]
    public string? Timeout { get; init; }

    /// <summary>The parsed <see cref="Timeout"/>, or the default; valid after <see cref="Validate"/>.</summary>
    public TimeSpan CallTimeout => DurationText.TryParse(Timeout, out var value) && value > TimeSpan.Zero ? value : DefaultTimeout;

    /// <summary>Whether --timeout was given.</summary>
    public bool HasTimeout => Timeout is not null;

    /// <summary>The parsed <see cref="DirectoryKey"/>, or null when none is given on the command line.</summary>
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

    /// <summary>
    /// The pinned directory key from --directory-key or <see cref="DirectoryKeyVariable"/>; null when
    /// neither is set. <paramref name="problem"/> says why the variable's value is not a key.
    /// </summary>
    public byte[]? ResolvePinnedKey(Func<string, string?> environment, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(environment);
        problem = null;
        if (PinnedKey is { } pinned)
        {
            return pinned;
        }

        var text = environment(DirectoryKeyVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (KeyFingerprint.TryParse(text.Trim(), out var key))
        {
            return key;
        }

        problem = $"{DirectoryKeyVariable}: '{text.Trim()}' is not a 32-byte key in hex (64 digits) or base64.";
        return null;
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

        if (Timeout is not null && (!DurationText.TryParse(Timeout, out var timeout) || timeout <= TimeSpan.Zero || timeout > TimeSpan.FromHours(1)))
        {
            return ValidationResult.Error($"--timeout: '{Timeout}' is not a duration between 1 ms and 1 h (e.g. 5s, 500ms, 1m).");
        }

        return base.Validate();
    }

    /// <summary>Whether <paramref name="text"/> is an absolute http or https URL.</summary>
    public static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
