using Microsoft.Extensions.Logging.Abstractions;
using Mixnet.Directory.Server.Admin;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Hosting;
using Mixnet.Directory.Server.Keys;
using Mixnet.Directory.Server.Limits;
using Mixnet.Directory.Server.Metrics;
using Mixnet.Directory.Server.Presence;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Server.Telemetry;
using Mixnet.Directory.Server.Topology;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Unit.Support;

namespace Mixnet.Directory.Tests.Unit.Keys;

public sealed class DirectorySigningKeyTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void SetUp() => _folder = TempFolder.Create();

    [TearDown]
    public void TearDown() => _folder.Dispose();

    private string KeyPath => Path.Combine(_folder.Path, "nested", "directory.key");

    [Test]
    public void Constructor_FirstStart_CreatesKeyFileOwnerOnly()
    {
        using var key = Create(KeyPath);

        Assert.Multiple(() =>
        {
            Assert.That(key.Created, Is.True);
            Assert.That(key.Path, Is.EqualTo(Path.GetFullPath(KeyPath)));
            Assert.That(File.Exists(KeyPath), Is.True);
            Assert.That(key.PublicKey, Has.Length.EqualTo(32));
            Assert.That(key.Fingerprint, Is.EqualTo(KeyFingerprint.Of(key.PublicKey)));
        });
        if (!OperatingSystem.IsWindows())
        {
            var fileMode = File.GetUnixFileMode(KeyPath);
            var folderMode = File.GetUnixFileMode(Path.GetDirectoryName(KeyPath)!);
            var groupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
            Assert.Multiple(() =>
            {
                Assert.That(fileMode, Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
                Assert.That(folderMode & groupOrOther, Is.EqualTo((UnixFileMode)0), "a created key folder is owner-only");
            });
        }
    }

    [Test]
    public void Constructor_SecondStart_LoadsSamePublicKey()
    {
        byte[] first;
        using (var key = Create(KeyPath))
        {
            first = key.PublicKey;
        }

        var bytesBefore = File.ReadAllBytes(KeyPath);
        using var again = Create(KeyPath);

        Assert.Multiple(() =>
        {
            Assert.That(again.Created, Is.False);
            Assert.That(again.PublicKey, Is.EqualTo(first));
            Assert.That(File.ReadAllBytes(KeyPath), Is.EqualTo(bytesBefore), "loading must not rewrite the key");
        });
    }

    [Test]
    public void Sign_LoadedKey_VerifiesWithPublicKey()
    {
        using (Create(KeyPath))
        {
        }

        using var key = Create(KeyPath);
        var payload = "hello"u8.ToArray();
        var signature = key.Sign(SignatureDomain.Topology, payload);

        Assert.Multiple(() =>
        {
            Assert.That(DirectorySignatures.Verify(key.PublicKey, SignatureDomain.Topology, payload, signature), Is.True);
            Assert.That(DirectorySignatures.Verify(key.PublicKey, SignatureDomain.TopologyDelta, payload, signature), Is.False);
        });
    }

    [Test]
    public void Constructor_DefaultPath_UsesDataPathDirectoryKey()
    {
        var options = new DirectoryOptions { DataPath = Path.Combine(_folder.Path, "data") };

        using var key = new DirectorySigningKey(Microsoft.Extensions.Options.Options.Create(options), NullLogger<DirectorySigningKey>.Instance);

        Assert.That(key.Path, Is.EqualTo(Path.GetFullPath(Path.Combine(_folder.Path, "data", "directory.key"))));
        Assert.That(File.Exists(key.Path), Is.True);
    }

    [TestCase(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x01 })]
    [TestCase(new byte[0])]
    public void Constructor_CorruptFile_InvalidOperationNamingPathAndCorrupt(byte[] content)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(KeyPath)!);
        File.WriteAllBytes(KeyPath, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var ex = Assert.Throws<StartupException>(() => Create(KeyPath))!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Does.Contain(Path.GetFullPath(KeyPath)));
            Assert.That(ex.Message, Does.Contain("corrupt"));
            Assert.That(File.ReadAllBytes(KeyPath), Is.EqualTo(content), "a corrupt key is never overwritten");
        });
    }

    [Test]
    public void Constructor_PemOfAnotherAlgorithm_Corrupt()
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(KeyPath)!);
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        File.WriteAllText(KeyPath, rsa.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var ex = Assert.Throws<StartupException>(() => Create(KeyPath))!;

        Assert.That(ex.Message, Does.Contain("corrupt"));
    }

    [Test]
    public void Constructor_CreateAndLoad_NoTempFilesLeftBehind()
    {
        using (Create(KeyPath))
        {
        }

        using (Create(KeyPath))
        {
        }

        Assert.That(System.IO.Directory.GetFiles(Path.GetDirectoryName(KeyPath)!), Is.EquivalentTo(new[] { Path.GetFullPath(KeyPath) }));
    }

    [Test]
    public void Constructor_TwoFoldersTwoKeys_DifferentIdentities()
    {
        using var a = Create(Path.Combine(_folder.Path, "a", "directory.key"));
        using var b = Create(Path.Combine(_folder.Path, "b", "directory.key"));

        Assert.That(a.PublicKey, Is.Not.EqualTo(b.PublicKey));
    }

    private static DirectorySigningKey Create(string path) =>
        new(Microsoft.Extensions.Options.Options.Create(new DirectoryOptions { DataPath = Path.GetDirectoryName(path)!, SigningKeyPath = path }),
            NullLogger<DirectorySigningKey>.Instance);
}
