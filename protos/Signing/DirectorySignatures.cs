using System.Buffers;
using NSec.Cryptography;

namespace Mixnet.Directory.Signing;

/// <summary>
/// The signing rules shared by the server and the SDK: prefixes, key and signature sizes,
/// signing and verification over the exact bytes that travel (nobody re-serializes).
/// </summary>
public static class DirectorySignatures
{
    /// <summary>Length of an Ed25519 or X25519 public key in bytes.</summary>
    public const int PublicKeySize = 32;

    /// <summary>Length of an Ed25519 signature in bytes.</summary>
    public const int SignatureSize = 64;

    /// <summary>Returns the ASCII prefix of a domain.</summary>
    /// <param name="domain">What is being signed.</param>
    public static ReadOnlySpan<byte> Prefix(SignatureDomain domain) => domain switch
    {
        SignatureDomain.NodeDescriptor => "mixnet-directory/v1/node-descriptor"u8,
        SignatureDomain.Topology => "mixnet-directory/v1/topology"u8,
        SignatureDomain.TopologyDelta => "mixnet-directory/v1/topology-delta"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(domain)),
    };

    /// <summary>Signs <c>prefix || payload</c> with an Ed25519 private key.</summary>
    /// <param name="key">An Ed25519 key.</param>
    /// <param name="domain">What is being signed.</param>
    /// <param name="payload">The exact serialized bytes.</param>
    /// <returns>The 64-byte signature.</returns>
    public static byte[] Sign(Key key, SignatureDomain domain, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(key);
        var prefix = Prefix(domain);
        var length = prefix.Length + payload.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            prefix.CopyTo(buffer);
            payload.CopyTo(buffer.AsSpan(prefix.Length));
            return SignatureAlgorithm.Ed25519.Sign(key, buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Verifies an Ed25519 signature over <c>prefix || payload</c>. Returns false for a key or
    /// signature of the wrong length, a key that is not a valid point, or a bad signature.
    /// </summary>
    /// <param name="publicKey">The signer's 32-byte Ed25519 public key.</param>
    /// <param name="domain">What was signed.</param>
    /// <param name="payload">The exact serialized bytes.</param>
    /// <param name="signature">The 64-byte signature.</param>
    public static bool Verify(ReadOnlySpan<byte> publicKey, SignatureDomain domain, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize)
        {
            return false;
        }

        if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var key) || key is null)
        {
            return false;
        }

        return Verify(key, domain, payload, signature);
    }

    /// <summary>Verifies an Ed25519 signature over <c>prefix || payload</c> with an imported key.</summary>
    /// <param name="publicKey">The signer's public key.</param>
    /// <param name="domain">What was signed.</param>
    /// <param name="payload">The exact serialized bytes.</param>
    /// <param name="signature">The 64-byte signature.</param>
    public static bool Verify(PublicKey publicKey, SignatureDomain domain, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (signature.Length != SignatureSize)
        {
            return false;
        }

        var prefix = Prefix(domain);
        var length = prefix.Length + payload.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            prefix.CopyTo(buffer);
            payload.CopyTo(buffer.AsSpan(prefix.Length));
            return SignatureAlgorithm.Ed25519.Verify(publicKey, buffer.AsSpan(0, length), signature);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
