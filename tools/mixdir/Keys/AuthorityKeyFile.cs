using Mixnet.Directory.Files;
using NSec.Cryptography;

namespace Mixnet.Directory.Cli.Keys;

/// <summary>
/// A directory authority's signing key in the format the directory loads from
/// <c>Directory:SigningKeyPath</c>: a PEM (PKCS#8) Ed25519 private key, readable only by its owner
/// (the directory refuses a key file that group or others can read).
/// </summary>
public static class AuthorityKeyFile
{
    /// <summary>
    /// Makes a new key and writes it to <paramref name="path"/> atomically (a temporary file, then a
    /// rename that fails if the path exists meanwhile), mode 0600. Returns the raw 32-byte public key.
    /// </summary>
    public static byte[] Create(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var blob = key.Export(KeyBlobFormat.PkixPrivateKeyText);
        try
        {
            AtomicFile.Write(path, blob, overwrite: false, ownerOnly: true);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(blob);
        }

        return key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }
}
