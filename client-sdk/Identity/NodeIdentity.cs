using Google.Protobuf;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;
using NSec.Cryptography;

namespace Mixnet.Directory.Client;

/// <summary>
/// A node's keys: the Ed25519 identity key that names it and signs its descriptors, and the
/// X25519 sphinx key that clients encrypt to. Saved in the format <see cref="NodeIdentityFile"/>
/// describes. Dispose it to wipe the private keys from memory.
/// </summary>
public sealed class NodeIdentity : IDisposable
{
    private readonly Key _identity;
    private readonly Key _sphinx;

    private NodeIdentity(Key identity, Key sphinx)
    {
        _identity = identity;
        _sphinx = sphinx;
        IdentityKey = identity.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        SphinxKey = sphinx.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    /// <summary>The Ed25519 public key (32 bytes): the node's id in the directory.</summary>
    public ReadOnlyMemory<byte> IdentityKey { get; }

    /// <summary>The X25519 public key (32 bytes) published for clients to encrypt to.</summary>
    public ReadOnlyMemory<byte> SphinxKey { get; }

    /// <summary>The identity key as lower-case hex.</summary>
    public string IdentityHex => KeyFingerprint.Hex(IdentityKey.Span);

    /// <summary>The X25519 private key, for the node's packet processing (key agreement). Do not log or export it.</summary>
    public Key SphinxPrivateKey => _sphinx;

    /// <summary>Creates a new random identity.</summary>
    public static NodeIdentity Generate() => new(
        Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }),
        Key.Create(KeyAgreementAlgorithm.X25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>Loads an identity saved by <see cref="Save(string)"/>.</summary>
    /// <param name="path">The identity file.</param>
    /// <exception cref="InvalidDataException">The file is not a valid identity file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static NodeIdentity Load(string path)
    {
        var (identity, sphinx) = NodeIdentityFile.Read(path);
        try
        {
            return FromRawPrivateKeys(identity, sphinx, path);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(identity);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(sphinx);
        }
    }

    /// <summary>
    /// Loads the identity at <paramref name="path"/>, or generates one and saves it there when the
    /// file does not exist. Safe against two processes racing on first start: both end up with the winner's keys.
    /// </summary>
    /// <param name="path">The identity file.</param>
    public static NodeIdentity LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Load(path);
        }

        var created = Generate();
        try
        {
            created.Save(path, overwrite: false);
            return created;
        }
        catch (IOException) when (File.Exists(path))
        {
            created.Dispose();
            return Load(path);
        }
    }

    /// <summary>
    /// Saves the private keys atomically (temporary file, then rename) with owner-only
    /// permissions (0600) on Unix, replacing an existing file.
    /// </summary>
    /// <param name="path">The identity file.</param>
    public void Save(string path) => Save(path, overwrite: true);

    /// <summary>
    /// Serializes and signs a descriptor over its exact bytes, with the node-descriptor domain prefix.
    /// Send the returned bytes as they are: the signature covers them, not the message.
    /// </summary>
    /// <param name="descriptor">A descriptor whose identity key is this identity's.</param>
    /// <returns>The serialized descriptor and its 64-byte signature.</returns>
    internal (ByteString Descriptor, ByteString Signature) SignDescriptor(NodeDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (!descriptor.IdentityKey.Span.SequenceEqual(IdentityKey.Span))
        {
            throw new ArgumentException("The descriptor's identity_key is not this identity's public key.", nameof(descriptor));
        }

        var bytes = descriptor.ToByteArray();
        var signature = DirectorySignatures.Sign(_identity, SignatureDomain.NodeDescriptor, bytes);
        return (UnsafeByteOperations.UnsafeWrap(bytes), UnsafeByteOperations.UnsafeWrap(signature));
    }

    /// <summary>
    /// Signs a serialized <c>NodeDescriptor</c> (for tools that build the descriptor themselves,
    /// in any language, and send it as <c>RegisterNodeRequest.descriptor</c> with this signature).
    /// </summary>
    /// <param name="descriptorBytes">The descriptor exactly as it will be sent; its identity key must be this identity's.</param>
    /// <returns>The 64-byte Ed25519 signature under the node-descriptor prefix.</returns>
    /// <exception cref="ArgumentException">The bytes are not a descriptor of this identity.</exception>
    public byte[] SignDescriptorBytes(ReadOnlySpan<byte> descriptorBytes)
    {
        NodeDescriptor parsed;
        try
        {
            parsed = NodeDescriptor.Parser.ParseFrom(descriptorBytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new ArgumentException("The bytes are not a serialized NodeDescriptor.", nameof(descriptorBytes), ex);
        }

        if (!parsed.IdentityKey.Span.SequenceEqual(IdentityKey.Span))
        {
            throw new ArgumentException("The descriptor's identity_key is not this identity's public key.", nameof(descriptorBytes));
        }

        return DirectorySignatures.Sign(_identity, SignatureDomain.NodeDescriptor, descriptorBytes);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _identity.Dispose();
        _sphinx.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"NodeIdentity {IdentityHex}";

    private static NodeIdentity FromRawPrivateKeys(byte[] identity, byte[] sphinx, string path)
    {
        if (!Key.TryImport(SignatureAlgorithm.Ed25519, identity, KeyBlobFormat.RawPrivateKey, out var identityKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }) || identityKey is null)
        {
            throw new InvalidDataException($"The node identity file '{path}' is corrupt: identity_private_key is not an Ed25519 private key.");
        }

        if (!Key.TryImport(KeyAgreementAlgorithm.X25519, sphinx, KeyBlobFormat.RawPrivateKey, out var sphinxKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }) || sphinxKey is null)
        {
            identityKey.Dispose();
            throw new InvalidDataException($"The node identity file '{path}' is corrupt: sphinx_private_key is not an X25519 private key.");
        }

        return new NodeIdentity(identityKey, sphinxKey);
    }

    private void Save(string path, bool overwrite)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var identity = _identity.Export(KeyBlobFormat.RawPrivateKey);
        var sphinx = _sphinx.Export(KeyBlobFormat.RawPrivateKey);
        try
        {
            NodeIdentityFile.Write(path, identity, sphinx, IdentityHex, overwrite);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(identity);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(sphinx);
        }
    }
}
