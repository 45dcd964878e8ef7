using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Client;

/// <summary>
/// One directory authority a client trusts: where to reach it and its pinned Ed25519 public key.
/// Binds from configuration as <c>Authorities:&lt;n&gt;:Address</c> and <c>:Key</c> (64 hex digits or
/// base64, as <c>Directory:Authorities</c> on the server).
/// </summary>
public sealed class DirectoryAuthority
{
    /// <summary>Creates an empty entry (for configuration binding).</summary>
    public DirectoryAuthority()
    {
    }

    /// <summary>Creates an entry from an address and the raw public key.</summary>
    /// <param name="address">The authority's gRPC address.</param>
    /// <param name="publicKey">Its Ed25519 public key, 32 bytes.</param>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public DirectoryAuthority(Uri address, ReadOnlySpan<byte> publicKey)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (publicKey.Length != DirectorySignatures.PublicKeySize)
        {
            throw new ArgumentException($"An authority key is {DirectorySignatures.PublicKeySize} bytes, got {publicKey.Length}.", nameof(publicKey));
        }

        Address = address;
        Key = KeyFingerprint.Hex(publicKey);
    }

    /// <summary>The authority's gRPC address, for example <c>https://a1.example:5000</c>.</summary>
    public Uri? Address { get; set; }

    /// <summary>The authority's Ed25519 public key: 64 hex digits or base64 of 32 bytes.</summary>
    public string? Key { get; set; }

    /// <summary>The key's 32 bytes, or null when <see cref="Key"/> is not a valid key.</summary>
    internal byte[]? KeyBytes => KeyFingerprint.TryParse(Key, out var bytes) ? bytes : null;

    /// <inheritdoc/>
    public override string ToString() => $"{Address} ({Key})";
}
