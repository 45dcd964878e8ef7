using Mixnet.Directory.Files;

namespace Mixnet.Directory.Tests.Unit.Files;

public sealed class AtomicFileTests
{
    private string _root = "";

    [SetUp]
    public void SetUp() => _root = Path.Combine(Path.GetTempPath(), "atomic-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (System.IO.Directory.Exists(_root))
        {
            System.IO.Directory.Delete(_root, recursive: true);
        }
    }

    [Test]
    public void Write_MissingFolder_CreatesItAndTheWholeContent_NoTemporaryFileLeft()
    {
        var path = Path.Combine(_root, "a", "b", "file.bin");

        AtomicFile.Write(path, [1, 2, 3], overwrite: false, ownerOnly: false);

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(System.IO.Directory.GetFiles(Path.GetDirectoryName(path)!), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void Write_Overwrite_ReplacesTheContent()
    {
        var path = Path.Combine(_root, "file.json");
        AtomicFile.Write(path, "old"u8.ToArray(), overwrite: true, ownerOnly: false);

        AtomicFile.Write(path, stream => stream.Write("new content"u8), overwrite: true, ownerOnly: false);

        Assert.That(File.ReadAllText(path), Is.EqualTo("new content"));
        Assert.That(System.IO.Directory.GetFiles(_root), Has.Length.EqualTo(1));
    }

    [Test]
    public void Write_NoOverwriteAndTheFileExists_ThrowsAndKeepsTheFirst()
    {
        var path = Path.Combine(_root, "key.pem");
        AtomicFile.Write(path, "first"u8.ToArray(), overwrite: false, ownerOnly: true);

        Assert.Throws(Is.InstanceOf<IOException>(), () => AtomicFile.Write(path, "second"u8.ToArray(), overwrite: false, ownerOnly: true));

        Assert.That(File.ReadAllText(path), Is.EqualTo("first"), "whoever wrote first wins");
        Assert.That(System.IO.Directory.GetFiles(_root), Is.EqualTo(new[] { path }), "the losing temporary file is removed");
    }

    [Test]
    public void Write_WriterFails_OldContentStaysWhole()
    {
        var path = Path.Combine(_root, "bans.json");
        AtomicFile.Write(path, "kept"u8.ToArray(), overwrite: true, ownerOnly: false);

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half of a new fi"u8);
            throw new InvalidOperationException("disk full, say");
        }, overwrite: true, ownerOnly: false));

        Assert.That(File.ReadAllText(path), Is.EqualTo("kept"));
        Assert.That(System.IO.Directory.GetFiles(_root), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void Write_OwnerOnly_File0600InAFolder0700()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix permissions");
            return;
        }

        var folder = Path.Combine(_root, "keys");
        var path = Path.Combine(folder, "identity.json");

        AtomicFile.Write(path, "secret"u8.ToArray(), overwrite: false, ownerOnly: true);

        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.GetUnixFileMode(folder), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }
}
