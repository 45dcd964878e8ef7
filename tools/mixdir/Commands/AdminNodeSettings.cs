using System.ComponentModel;
using Mixnet.Directory.Signing;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>Options of <c>mixdir admin unban</c>, and the base of <c>admin ban</c>'s: one node's identity.</summary>
public class AdminNodeSettings : AdminSettings
{
    [CommandArgument(0, "<IDENTITY>")]
    [Description("The node's identity key: 64 hex digits or base64 of 32 bytes.")]
    public string Identity { get; init; } = "";

    /// <summary>The parsed identity key; valid after <see cref="Validate"/>.</summary>
    public byte[] IdentityKey => KeyFingerprint.TryParse(Identity, out var key) ? key : [];

    public override ValidationResult Validate()
    {
        if (!KeyFingerprint.TryParse(Identity, out _))
        {
            return ValidationResult.Error($"IDENTITY: '{Identity}' is not a 32-byte key in hex (64 digits) or base64.");
        }

        return base.Validate();
    }
}
