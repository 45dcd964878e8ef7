using Mixnet.Directory.Cli;
using Mixnet.Directory.Client;

namespace Mixnet.Directory.Tests.Tools;

/// <summary>mixdir keygen: a loadable identity with owner-only permissions, never overwritten by accident.</summary>
[TestFixture]
public sealed class MixdirKeygenTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), "mixdir-keygen-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void TearDown() => System.IO.Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Keygen_WritesLoadableIdentityWithOwnerOnlyMode()
    {
        var path = Path.Combine(_directory, "node.identity");

        var run = await CliRun.RunAsync("keygen", "--out", path);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
        using var identity = NodeIdentity.Load(path);
        Assert.That(run.Output, Does.Contain(identity.IdentityHex));
        Assert.That(run.Output, Does.Contain(Convert.ToHexStringLower(identity.SphinxKey.Span)));
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    [Test]
    public async Task Keygen_FileExists_RefusesAndKeepsIt_ForceReplacesIt()
    {
        var path = Path.Combine(_directory, "node.identity");
        Assert.That((await CliRun.RunAsync("keygen", "--out", path)).ExitCode, Is.EqualTo(ExitCodes.Success));
        var original = await File.ReadAllTextAsync(path);

        var refused = await CliRun.RunAsync("keygen", "--out", path);

        Assert.That(refused.ExitCode, Is.EqualTo(ExitCodes.BadInput), refused.ToString());
        Assert.That(refused.Error, Does.Contain("--force"));
        Assert.That(await File.ReadAllTextAsync(path), Is.EqualTo(original));

        var forced = await CliRun.RunAsync("keygen", "--out", path, "--force");

        Assert.That(forced.ExitCode, Is.EqualTo(ExitCodes.Success), forced.ToString());
        Assert.That(await File.ReadAllTextAsync(path), Is.Not.EqualTo(original));
        using var replaced = NodeIdentity.Load(path);
        Assert.That(forced.Output, Does.Contain(replaced.IdentityHex));
    }
}
