using System.Security.Cryptography;
using System.Text.Json;
using Mixnet.Directory.Files;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Client;

/// <summary>
/// The on-disk form of a <see cref="NodeIdentity"/>: a small UTF-8 JSON object,
/// <code>
/// {
///   "format": "mixnet-node-identity/v1",
///   "identity_public_key": "&lt;64 hex digits, informational, checked on load&gt;",
///   "identity_private_key": "&lt;base64 of the 32-byte raw Ed25519 private key&gt;",
///   "sphinx_private_key": "&lt;base64 of the 32-byte raw X25519 private key&gt;"
/// }
/// </code>
/// written atomically with owner-only permissions. Anyone who can read it can impersonate the node.
/// </summary>
public static class NodeIdentityFile
{
    /// <summary>The value of the <c>format</c> field.</summary>
    public const string Format = "mixnet-node-identity/v1";

    private const int MaxFileBytes = 4096;

    internal static (byte[] Identity, byte[] Sphinx) Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);
        if (info.Exists && info.Length > MaxFileBytes)
        {
            throw Corrupt(path, "the file is too large to be an identity file");
        }

        var bytes = File.ReadAllBytes(path);
        try
        {
            using var json = JsonDocument.Parse(bytes);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String
                || format.GetString() != Format)
            {
                throw Corrupt(path, $"the \"format\" field is not \"{Format}\"");
            }

            var identity = ReadKey(root, "identity_private_key", path);
            var sphinx = ReadKey(root, "sphinx_private_key", path);
            if (root.TryGetProperty("identity_public_key", out var expected) && expected.ValueKind == JsonValueKind.String)
            {
                CheckPublicKey(identity, expected.GetString(), path);
            }

            return (identity, sphinx);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The node identity file '{path}' is corrupt: not valid JSON ({ex.Message}).", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    internal static void Write(string path, byte[] identity, byte[] sphinx, string identityHex, bool overwrite) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteString("identity_public_key", identityHex);
            writer.WriteBase64String("identity_private_key", identity);
            writer.WriteBase64String("sphinx_private_key", sphinx);
            writer.WriteEndObject();
        }, overwrite, ownerOnly: true);

    private static byte[] ReadKey(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || !value.TryGetBytesFromBase64(out var key))
        {
            throw Corrupt(path, $"\"{name}\" is missing or not base64");
        }

        if (key.Length != DirectorySignatures.PublicKeySize)
        {
            throw Corrupt(path, $"\"{name}\" must be {DirectorySignatures.PublicKeySize} bytes, got {key.Length}");
        }

        return key;
    }

    private static void CheckPublicKey(byte[] identityPrivate, string? expectedHex, string path)
    {
        if (!NSec.Cryptography.Key.TryImport(NSec.Cryptography.SignatureAlgorithm.Ed25519, identityPrivate, NSec.Cryptography.KeyBlobFormat.RawPrivateKey, out var key)
            || key is null)
        {
            throw Corrupt(path, "\"identity_private_key\" is not an Ed25519 private key");
        }

        using (key)
        {
            var actual = KeyFingerprint.Hex(key.PublicKey.Export(NSec.Cryptography.KeyBlobFormat.RawPublicKey));
            if (!string.Equals(actual, expectedHex, StringComparison.OrdinalIgnoreCase))
            {
                throw Corrupt(path, "\"identity_public_key\" does not match \"identity_private_key\"");
            }
        }
    }

    private static InvalidDataException Corrupt(string path, string why) =>
        new($"The node identity file '{path}' is corrupt: {why}. Restore it from a backup; deleting it gives the node a new identity.");
}
