using System.ComponentModel;
using Mixnet.Directory.Cli.Consensus;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tools;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>
/// Options of <c>mixdir consensus</c>: the authorities to ask, the keys to pin and the threshold.
/// It does not take --directory: a consensus is worth something only when checked against keys
/// pinned beforehand, never against what one directory says about itself.
/// </summary>
public sealed class ConsensusSettings : OutputSettings
{
    /// <summary>The environment variable that lists the authorities when no --authority is given: <c>URL=KEY</c> entries separated by commas.</summary>
    public const string AuthoritiesVariable = "MIXDIR_AUTHORITIES";

    [CommandOption("--authority <URL[=KEY]>")]
    [Description("An authority's gRPC address, optionally with its pinned key as URL=KEY (repeat for each authority; default: $MIXDIR_AUTHORITIES, comma-separated URL=KEY).")]
    public string[] Authorities { get; init; } = [];

    [CommandOption("--authority-key <KEY>")]
    [Description("Pin an authority's Ed25519 public key (64 hex digits or base64; repeat for each authority).")]
    public string[] AuthorityKeys { get; init; } = [];

    [CommandOption("--threshold <N>")]
    [Description("Distinct pinned signatures required (default: a strict majority of the pinned keys, N/2+1 rounded down).")]
    public int? Threshold { get; init; }

    [CommandOption("--no-verify")]
    [Description("Show the document without pinned keys; it is marked UNVERIFIED and the exit code does not depend on its signatures.")]
    public bool NoVerify { get; init; }

    [CommandOption("--timeout <TIME>")]
    [Description("How long connecting and each call may take, e.g. 5s, 500ms, 1m (default 10s).")]
    public string? Timeout { get; init; }

    /// <summary>The parsed <see cref="Timeout"/>, or the default; valid after <see cref="Validate"/>.</summary>
    public TimeSpan CallTimeout => DurationText.TryParse(Timeout, out var value) && value > TimeSpan.Zero ? value : DirectorySettings.DefaultTimeout;

    /// <summary>
    /// The authorities from the options, or else from <see cref="AuthoritiesVariable"/>: addresses to
    /// ask and keys to pin (URL=KEY pins KEY; --authority-key pins more). Null with
    /// <paramref name="problem"/> set when something is malformed or missing.
    /// </summary>
    public ConsensusTrust? Resolve(Func<string, string?> environment, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var (entries, source) = Authorities.Length > 0
            ? (Authorities, "--authority")
            : ((environment(AuthoritiesVariable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), AuthoritiesVariable);
        if (entries.Length == 0)
        {
            problem = $"no authority to ask: pass --authority <URL[=KEY]> for each authority, or set {AuthoritiesVariable}.";
            return null;
        }

        var addresses = new List<string>();
        var keys = new List<byte[]>();
        foreach (var entry in entries)
        {
            var (url, key) = Split(entry);
            if (!DirectorySettings.IsHttpUrl(url))
            {
                problem = $"{source}: '{url}' is not an http:// or https:// URL.";
                return null;
            }

            if (key is not null && !KeyFingerprint.TryParse(key, out _))
            {
                problem = $"{source}: '{key}' (after '=') is not a 32-byte key in hex (64 digits) or base64.";
                return null;
            }

            addresses.Add(url);
            if (key is not null)
            {
                keys.Add(Parse(key));
            }
        }

        keys.AddRange(AuthorityKeys.Select(Parse));
        return ConsensusTrust.Create(addresses, keys, Threshold, NoVerify, out problem);
    }

    public override ValidationResult Validate()
    {
        if (AuthorityKeys.FirstOrDefault(k => !KeyFingerprint.TryParse(k, out _)) is { } bad)
        {
            return ValidationResult.Error($"--authority-key: '{bad}' is not a 32-byte key in hex (64 digits) or base64.");
        }

        if (Threshold is < 1)
        {
            return ValidationResult.Error($"--threshold: must be at least 1, got {Threshold}.");
        }

        if (Timeout is not null && (!DurationText.TryParse(Timeout, out var timeout) || timeout <= TimeSpan.Zero || timeout > TimeSpan.FromHours(1)))
        {
            return ValidationResult.Error($"--timeout: '{Timeout}' is not a duration between 1 ms and 1 h (e.g. 5s, 500ms, 1m).");
        }

        return base.Validate();
    }

    // A gRPC address has no query, so no "=": the first "=" separates the key (a base64 key ends in "=").
    private static (string Url, string? Key) Split(string entry)
    {
        var at = entry.IndexOf('=', StringComparison.Ordinal);
        return at < 0 ? (entry.Trim(), null) : (entry[..at].Trim(), entry[(at + 1)..].Trim());
    }

    private static byte[] Parse(string key) => KeyFingerprint.TryParse(key.Trim(), out var bytes) ? bytes : throw new FormatException(key);
}
