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

    // Larger messages (whole topologies) get a buffer of their own: the shared pool would keep a
    // multi-megabyte array alive for the life of the process.
    private const int MaxPooledLength = 64 * 1024;

    /// <summary>Returns the ASCII prefix of a domain.</summary>
    /// <param name="domain">What is being signed.</param>
    public static ReadOnlySpan<byte> Prefix(SignatureDomain domain) => domain switch
    {
        SignatureDomain.NodeDescriptor => "mixnet-directory/v1/node-descriptor"u8,
        SignatureDomain.Topology => "mixnet-directory/v1/topology"u8,
        SignatureDomain.TopologyDelta => "mixnet-directory/v1/topology-delta"u8,
        SignatureDomain.Consensus => "mixnet-directory/v1/consensus"u8,
        SignatureDomain.Vote => "mixnet-directory/v1/vote"u8,
        SignatureDomain.AuthorityCall => "mixnet-directory/v1/authority-call"u8,
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
        var pooled = length <= MaxPooledLength;
        var buffer = pooled ? ArrayPool<byte>.Shared.Rent(length) : new byte[length];
        try
        {
            prefix.CopyTo(buffer);
            payload.CopyTo(buffer.AsSpan(prefix.Length));
            return SignatureAlgorithm.Ed25519.Sign(key, buffer.AsSpan(0, length));
        }
        finally
        {
            if (pooled)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// Makes a buffer holding the domain prefix followed by room for a payload of
    /// <paramref name="payloadLength"/> bytes, so a large message can be serialized straight into
    /// it and signed without a second copy (see <see cref="SignPrefixed"/>).
    /// </summary>
    /// <param name="domain">What will be signed.</param>
    /// <param name="payloadLength">The payload's serialized length.</param>
    /// <returns>The buffer; the payload goes at <c>Prefix(domain).Length</c>.</returns>
    public static byte[] NewPrefixedBuffer(SignatureDomain domain, int payloadLength)
    {
        var prefix = Prefix(domain);
        var buffer = new byte[prefix.Length + payloadLength];
        prefix.CopyTo(buffer);
        return buffer;
    }

    /// <summary>Signs a buffer made by <see cref="NewPrefixedBuffer"/> once its payload is written.</summary>
    /// <param name="key">An Ed25519 key.</param>
    /// <param name="domain">What is being signed; the buffer must start with its prefix.</param>
    /// <param name="prefixedPayload">The prefix followed by the exact payload bytes.</param>
    /// <returns>The 64-byte signature.</returns>
    public static byte[] SignPrefixed(Key key, SignatureDomain domain, ReadOnlySpan<byte> prefixedPayload)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!prefixedPayload.StartsWith(Prefix(domain)))
        {
            throw new ArgumentException("The buffer does not start with the domain's prefix.", nameof(prefixedPayload));
        }

        return SignatureAlgorithm.Ed25519.Sign(key, prefixedPayload);
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
        var pooled = length <= MaxPooledLength;
        var buffer = pooled ? ArrayPool<byte>.Shared.Rent(length) : new byte[length];
        try
        {
            prefix.CopyTo(buffer);
            payload.CopyTo(buffer.AsSpan(prefix.Length));
            return SignatureAlgorithm.Ed25519.Verify(publicKey, buffer.AsSpan(0, length), signature);
        }
        finally
        {
            if (pooled)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
