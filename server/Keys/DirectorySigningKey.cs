using Microsoft.Extensions.Options;
using Mixnet.Directory.Files;
using Mixnet.Directory.Server.Hosting;
using Mixnet.Directory.Signing;
using NSec.Cryptography;

namespace Mixnet.Directory.Server.Keys;

/// <summary>
/// The directory's Ed25519 identity. Created once, atomically and readable only by its owner,
/// then reused on every start so that clients that pinned the key keep trusting the directory.
/// </summary>
internal sealed class DirectorySigningKey : IDisposable
{
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;
    private readonly Key _key;

    public DirectorySigningKey(IOptions<DirectoryOptions> options, ILogger<DirectorySigningKey> logger)
    {
        Path = System.IO.Path.GetFullPath(options.Value.ResolvedSigningKeyPath);
        (_key, Created) = LoadOrCreate(Path, options.Value.AllowInsecureKeyFile);
        PublicKey = _key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        Fingerprint = KeyFingerprint.Of(PublicKey);
        DirectoryLog.SigningKeyReady(logger, Fingerprint, Path, Created);
    }

    public string Path { get; }

    public bool Created { get; }

    /// <summary>The raw 32-byte public key that clients pin.</summary>
    public byte[] PublicKey { get; }

    public string Fingerprint { get; }

    public byte[] Sign(SignatureDomain domain, ReadOnlySpan<byte> payload) => DirectorySignatures.Sign(_key, domain, payload);

    /// <summary>Signs a buffer that already starts with the domain prefix (large payloads, no copy).</summary>
    public byte[] SignPrefixed(SignatureDomain domain, ReadOnlySpan<byte> prefixedPayload) => DirectorySignatures.SignPrefixed(_key, domain, prefixedPayload);

    public void Dispose() => _key.Dispose();

    private static (Key Key, bool Created) LoadOrCreate(string path, bool allowInsecure)
    {
        if (System.IO.Directory.Exists(path))
        {
            throw new StartupException($"The directory signing key path '{path}' is a folder; set Directory:SigningKeyPath to a file (it is created if missing).");
        }

        if (File.Exists(path))
        {
            KeyFilePermissions.ThrowIfInsecure(path, allowInsecure);
            return (Load(path), false);
        }

        var key = Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var blob = key.Export(KeyBlobFormat.PkixPrivateKeyText);
        try
        {
            // If another process won the race to create it, its key is the directory's identity and ours is discarded.
            AtomicFile.Write(path, blob, overwrite: false, ownerOnly: true);
            return (key, true);
        }
        catch (IOException) when (File.Exists(path))
        {
            key.Dispose();
            return (Load(path), false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            key.Dispose();
            throw new StartupException(
                $"The directory signing key cannot be created at '{path}' ({ex.Message}). Make its folder writable, or set Directory:SigningKeyPath.", ex);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(blob);
        }
    }

    private static Key Load(string path)
    {
        byte[] blob;
        try
        {
            blob = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException(
                $"The directory signing key at '{path}' cannot be read ({ex.Message}). Fix its permissions, or set Directory:SigningKeyPath.", ex);
        }

        if (Key.TryImport(Algorithm, blob, KeyBlobFormat.PkixPrivateKeyText, out var key) && key is not null)
        {
            return key;
        }

        throw new StartupException(
            $"The directory signing key at '{path}' is corrupt (not a PEM Ed25519 private key). Restore it from a backup; " +
            "deleting it makes a new directory identity that clients which pinned the old key will refuse.");
    }
}
