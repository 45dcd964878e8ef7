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

namespace Mixnet.Directory.Tests.Unit.Admin;

[TestFixture]
public sealed class BanListTests
{
    private string _dataPath = null!;

    [SetUp]
    public void SetUp() => _dataPath = Path.Combine(Path.GetTempPath(), "mixdir-bans-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (System.IO.Directory.Exists(_dataPath))
        {
            System.IO.Directory.Delete(_dataPath, recursive: true);
        }
    }

    [Test]
    public void Add_ThenReload_BanKeptWithReasonAndAuthor()
    {
        var id = Id(7);
        var at = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        Create().Add(id, "sybil", "ops-bob", at);

        var reloaded = Create();

        Assert.That(reloaded.IsBanned(id), Is.True);
        Assert.That(reloaded.List().Single(), Is.EqualTo(new BanRecord(id, "sybil", at, "ops-bob")));
        Assert.That(System.IO.Directory.GetFiles(_dataPath, "*.tmp"), Is.Empty, "no temp file is left behind");
    }

    [Test]
    public void Remove_ThenReload_NoLongerBanned()
    {
        var list = Create();
        list.Add(Id(1), "x", "ops", DateTimeOffset.UnixEpoch);
        list.Add(Id(2), "y", "ops", DateTimeOffset.UnixEpoch);

        Assert.That(list.Remove(Id(1)), Is.True);
        Assert.That(list.Remove(Id(1)), Is.False);
        var reloaded = Create();
        Assert.That(reloaded.IsBanned(Id(1)), Is.False);
        Assert.That(reloaded.IsBanned(Id(2)), Is.True);
    }

    [TestCase("not json")]
    [TestCase("{\"format\": 2, \"bans\": []}")]
    [TestCase("{\"format\": 1}")]
    public void Load_CorruptFile_ThrowsNamingThePath(string content)
    {
        System.IO.Directory.CreateDirectory(_dataPath);
        File.WriteAllText(Path.Combine(_dataPath, "bans.json"), content);

        var ex = Assert.Throws<Mixnet.Directory.Server.Hosting.StartupException>(() => Create());

        Assert.That(ex!.Message, Does.Contain("bans.json").And.Contain("corrupt"));
    }

    private BanList Create() => new(Microsoft.Extensions.Options.Options.Create(new DirectoryOptions { DataPath = _dataPath }));

    private static NodeId Id(byte seed)
    {
        var bytes = Enumerable.Repeat(seed, 32).ToArray();
        NodeId.TryRead(bytes, out var id);
        return id;
    }
}
