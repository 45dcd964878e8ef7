namespace Mixnet.Directory.Server.Topology;

/// <summary>
/// Identity keys as people paste them: 64 hex digits, or base64 (standard or URL-safe, with or
/// without padding). Anything longer than <see cref="MaxLength"/> is refused unparsed.
/// </summary>
internal static class NodeIdText
{
    /// <summary>The longest text accepted for a 32-byte key (hex is 64; a little slack for padding).</summary>
    public const int MaxLength = 88;

    public const int KeyLength = 32;

    /// <summary>Parses a 32-byte key; on failure, <paramref name="error"/> says what was wrong.</summary>
    public static bool TryParse(string? text, out byte[] key, out string error)
    {
        key = [];
        if (string.IsNullOrEmpty(text))
        {
            error = "is required: 64 hex digits or base64 of the 32-byte identity key";
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"is {text.Length} characters; an identity key is 64 hex digits or 43-44 base64 characters";
            return false;
        }

        byte[] bytes;
        if (text.Length == 2 * KeyLength && IsHex(text))
        {
            bytes = Convert.FromHexString(text);
        }
        else if (!TryBase64(text, out bytes))
        {
            error = "is neither 64 hex digits nor base64";
            return false;
        }

        if (bytes.Length != KeyLength)
        {
            error = $"decodes to {bytes.Length} bytes; an identity key is {KeyLength}";
            return false;
        }

        key = bytes;
        error = string.Empty;
        return true;
    }

    private static bool IsHex(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        // URL-safe characters mapped to the standard alphabet, padding restored.
        var standard = text.TrimEnd('=').Replace('-', '+').Replace('_', '/');
        if (standard.Length % 4 == 1)
        {
            bytes = [];
            return false;
        }

        standard += new string('=', (4 - (standard.Length % 4)) % 4);
        var buffer = new byte[standard.Length / 4 * 3];
        if (!Convert.TryFromBase64String(standard, buffer, out var written))
        {
            bytes = [];
            return false;
        }

        bytes = buffer[..written];
        return true;
    }
}
