using Mixnet.Directory.Tests.Infrastructure;
using NSec.Cryptography;

namespace Mixnet.Directory.Tests.Authorities;

/// <summary>A data folder holding a fresh authority key, for single directories configured as authorities.</summary>
internal static class AuthorityHostKeys
{
    public static Key NewKey() =>
        Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    /// <summary>A new data folder with <paramref name="key"/> as its directory.key.</summary>
    public static string DataPathWith(Key key)
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "mixdir-auth-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dataPath);
        var file = Path.Combine(dataPath, "directory.key");
        File.WriteAllBytes(file, key.Export(KeyBlobFormat.PkixPrivateKeyText));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return dataPath;
    }

    /// <summary>Settings naming the given authorities (key, address) in order.</summary>
    public static Dictionary<string, string?> Settings(params (Key Key, string Address)[] authorities)
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < authorities.Length; i++)
        {
            settings[$"Directory:Authorities:{i}:Name"] = $"auth{i}";
            settings[$"Directory:Authorities:{i}:Key"] = Mixnet.Directory.Signing.KeyFingerprint.Hex(AuthorityCluster.PublicOf(authorities[i].Key));
            settings[$"Directory:Authorities:{i}:Address"] = authorities[i].Address;
        }

        return settings;
    }
}
