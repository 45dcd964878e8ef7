using System.Security.Cryptography;

namespace Mixnet.Directory.Signing;

/// <summary>How keys are shown to people: hex for identities, an SSH-style fingerprint for the directory key.</summary>
public static class KeyFingerprint
{
    /// <summary>
    /// The fingerprint of a public key: <c>SHA256:</c> followed by the unpadded base64 of its
    /// SHA-256 digest, the form OpenSSH prints, so operators can compare it by eye.
    /// </summary>
    /// <param name="publicKey">The raw public key.</param>
    public static string Of(ReadOnlySpan<byte> publicKey)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(publicKey, digest);
        return "SHA256:" + Convert.ToBase64String(digest).TrimEnd('=');
    }

    /// <summary>Lower-case hex of a key, the way identities are written in logs, the CLI and the dashboard.</summary>
    /// <param name="key">The raw key.</param>
    public static string Hex(ReadOnlySpan<byte> key) => Convert.ToHexStringLower(key);

    /// <summary>The first 8 hex digits of a key, for tables; never use it as an id.</summary>
    /// <param name="key">The raw key.</param>
    public static string Abbreviate(ReadOnlySpan<byte> key) => Convert.ToHexStringLower(key[..Math.Min(4, key.Length)]);

    /// <summary>Parses a key written as 64 hex digits or as base64 of 32 bytes.</summary>
    /// <param name="text">The key as text.</param>
    /// <param name="key">The 32 raw bytes.</param>
    /// <returns>Whether the text was a 32-byte key.</returns>
    public static bool TryParse(string? text, out byte[] key)
    {
        key = [];
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        try
        {
            var bytes = text.Length == DirectorySignatures.PublicKeySize * 2
                ? Convert.FromHexString(text)
                : Convert.FromBase64String(text);
            if (bytes.Length != DirectorySignatures.PublicKeySize)
            {
                return false;
            }

            key = bytes;
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
