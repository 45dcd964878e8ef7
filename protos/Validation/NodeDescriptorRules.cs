using System.Text.RegularExpressions;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Validation;

/// <summary>
/// Field rules for a <see cref="NodeDescriptor"/>. The server enforces them; the SDK checks
/// them before sending so that a mistake is reported where it was made.
/// </summary>
public static partial class NodeDescriptorRules
{
    /// <summary>Returns the first rule the descriptor breaks, or null when it is valid.</summary>
    /// <param name="descriptor">The descriptor to check.</param>
    /// <param name="prefix">Prepended to field names, for example <c>descriptor.</c>.</param>
    public static FieldError? Validate(NodeDescriptor descriptor, string prefix = "descriptor.")
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.IdentityKey.Length != DirectorySignatures.PublicKeySize)
        {
            return new(prefix + "identity_key", $"must be {DirectorySignatures.PublicKeySize} bytes, got {descriptor.IdentityKey.Length}");
        }

        if (descriptor.SphinxKey.Length != DirectorySignatures.PublicKeySize)
        {
            return new(prefix + "sphinx_key", $"must be {DirectorySignatures.PublicKeySize} bytes, got {descriptor.SphinxKey.Length}");
        }

        switch (descriptor.Role)
        {
            case NodeRole.Mixnode:
                if (descriptor.Layer is < 1 or > DescriptorLimits.MaxLayer)
                {
                    return new(prefix + "layer", $"a mixnode's layer must be 1..{DescriptorLimits.MaxLayer}, got {descriptor.Layer}");
                }

                if (descriptor.ClientPort != 0)
                {
                    return new(prefix + "client_port", "must be 0 for a mixnode");
                }

                break;
            case NodeRole.Gateway:
                if (descriptor.Layer != 0)
                {
                    return new(prefix + "layer", $"a gateway's layer must be 0, got {descriptor.Layer}");
                }

                if (descriptor.ClientPort is < 1 or > 65535)
                {
                    return new(prefix + "client_port", $"a gateway's client port must be 1..65535, got {descriptor.ClientPort}");
                }

                break;
            default:
                return new(prefix + "role", "must be NODE_ROLE_MIXNODE or NODE_ROLE_GATEWAY");
        }

        if (!HostRules.TryCanonicalize(descriptor.Host, out _, out var hostError, prefix + "host"))
        {
            return hostError;
        }

        if (descriptor.MixPort is < 1 or > 65535)
        {
            return new(prefix + "mix_port", $"must be 1..65535, got {descriptor.MixPort}");
        }

        if (descriptor.Version.Length > DescriptorLimits.MaxVersionLength || !SemVer().IsMatch(descriptor.Version))
        {
            return new(prefix + "version", $"must be a semantic version (e.g. 1.2.3) of at most {DescriptorLimits.MaxVersionLength} characters");
        }

        if (descriptor.Location.Length > DescriptorLimits.MaxLocationLength || !IsPrintable(descriptor.Location))
        {
            return new(prefix + "location", $"must be printable text of at most {DescriptorLimits.MaxLocationLength} characters");
        }

        if (descriptor.SignedAt is null)
        {
            return new(prefix + "signed_at", "is required");
        }

        if (descriptor.SignedAt.Nanos is < 0 or > 999_999_999
            || descriptor.SignedAt.Seconds < -62_135_596_800L || descriptor.SignedAt.Seconds > 253_402_300_799L)
        {
            return new(prefix + "signed_at", "is not a valid timestamp");
        }

        return null;
    }

    /// <summary>
    /// True for a host a node may announce: an IP literal (v4 dotted quad or v6, no brackets or
    /// zone) that is not unspecified, broadcast or multicast, or an ASCII DNS name. See <see cref="HostRules"/>.
    /// </summary>
    /// <param name="host">The host text.</param>
    public static bool IsValidHost(string host) => HostRules.TryCanonicalize(host, out _, out _);

    private static bool IsPrintable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format
                or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator)
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    // [0-9], not \d: \d is any Unicode digit, and "1\u0661.2.3" is no semantic version.
    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-((?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex SemVer();
}
