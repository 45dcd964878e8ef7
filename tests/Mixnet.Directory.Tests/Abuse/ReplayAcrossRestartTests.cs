using Grpc.Core;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Abuse;

/// <summary>A registration captured before a restart is refused after it (replay marks in DataPath, and the start-time floor).</summary>
public sealed class ReplayAcrossRestartTests
{
    [Test]
    public async Task RegisterNode_CapturedBeforeRestart_FailedPreconditionAfterIt_FreshOneOk()
    {
        var first = await DirectoryServerHost.StartAsync();
        using var node = new TestNode();
        var captured = node.RegisterRequest(DateTimeOffset.UtcNow);
        var clients = new RawClients(first.Channel);
        node.LeaseToken = (await clients.Registry.RegisterNodeAsync(captured).ResponseAsync.Within()).LeaseToken;
        await clients.Registry.DeregisterNodeAsync(new DeregisterNodeRequest { IdentityKey = node.IdentityKey, LeaseToken = node.LeaseToken }).ResponseAsync.Within();
        var port = first.GrpcPort;
        await first.DisposeAsync();

        await using var second = await DirectoryServerHost.StartAsync(grpcPort: port, dataPath: first.DataPath);
        var again = new RawClients(second.Channel);
        var ex = Assert.ThrowsAsync<RpcException>(() => again.Registry.RegisterNodeAsync(captured).ResponseAsync.Within());
        var fresh = await again.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow.AddMilliseconds(1))).ResponseAsync.Within();

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition));
        Assert.That(ex.Status.Detail, Does.StartWith("descriptor.signed_at"));
        Assert.That(fresh.LeaseToken.Length, Is.EqualTo(32));
        second.AssertNoUnexpectedErrors();
        second.DeleteData();
    }

    [Test]
    public async Task RegisterNode_MarkSignedAheadOfTheRestart_StillRefusedAfterIt()
    {
        // A node whose clock runs ahead signs after the restart time: the floor alone would let
        // its captured descriptor back in; the persisted mark does not.
        var first = await DirectoryServerHost.StartAsync();
        using var node = new TestNode();
        var captured = node.RegisterRequest(DateTimeOffset.UtcNow.AddMinutes(2));
        await new RawClients(first.Channel).Registry.RegisterNodeAsync(captured).ResponseAsync.Within();
        await first.DisposeAsync();

        await using var second = await DirectoryServerHost.StartAsync(dataPath: first.DataPath);
        var ex = Assert.ThrowsAsync<RpcException>(() => new RawClients(second.Channel).Registry.RegisterNodeAsync(captured).ResponseAsync.Within());

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition));
        Assert.That(File.Exists(ReplayMarkFile.PathIn(first.DataPath)), Is.True);
        second.DeleteData();
    }

    [Test]
    public async Task RegisterNode_DatedAheadOfTheDirectory_MarkIsOnDiskWhenAcknowledged()
    {
        // The crash window: the periodic writer (1 s, here never: the clock is fake) would lose a
        // mark written just before a crash, and a descriptor dated ahead is signed after the
        // restart, past the start-time floor. So such a mark is written before the answer.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await DirectoryServerHost.StartAsync(time: time);
        using var ahead = new TestNode();
        using var behind = new TestNode();
        NodeId.TryRead(ahead.IdentityKey.Span, out var aheadId);
        NodeId.TryRead(behind.IdentityKey.Span, out var behindId);
        var clients = new RawClients(server.Channel);

        await clients.Registry.RegisterNodeAsync(behind.RegisterRequest(time.GetUtcNow().AddSeconds(-1))).ResponseAsync.Within();
        var afterBehind = ReplayMarkFile.Load(ReplayMarkFile.PathIn(server.DataPath)) ?? [];
        await clients.Registry.RegisterNodeAsync(ahead.RegisterRequest(time.GetUtcNow().AddSeconds(20))).ResponseAsync.Within();
        var afterAhead = ReplayMarkFile.Load(ReplayMarkFile.PathIn(server.DataPath)) ?? [];

        Assert.That(afterBehind.Select(m => m.Key), Does.Not.Contain(behindId), "a node whose clock is not ahead does not wait for the disk");
        Assert.That(afterAhead, Does.Contain(new KeyValuePair<NodeId, DateTimeOffset>(aheadId, time.GetUtcNow().AddSeconds(20))));
        server.DeleteData();
    }

    [Test]
    public void Start_CorruptReplayMarkFile_FailsNamingIt()
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "mixdir-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dataPath);
        File.WriteAllBytes(ReplayMarkFile.PathIn(dataPath), [0x4D, 0x58, 0x52, 0x4D, 1, 0, 0, 0, 5, 0, 0, 0]);
        try
        {
            var ex = Assert.CatchAsync<Exception>(() => DirectoryServerHost.StartAsync(dataPath: dataPath));
            Assert.That(ex!.ToString(), Does.Contain("replay-marks.bin").And.Contain("corrupt"));
        }
        finally
        {
            System.IO.Directory.Delete(dataPath, recursive: true);
        }
    }

    [Test]
    public void ReplayMarkFile_RoundTrip_KeepsMarksAndDetectsTampering()
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "mixdir-test-" + Guid.NewGuid().ToString("N"));
        var path = ReplayMarkFile.PathIn(dataPath);
        var key = new byte[32];
        key[0] = 7;
        NodeId.TryRead(key, out var id);
        var at = new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
        try
        {
            ReplayMarkFile.Save(path, [new(id, at)]);
            var loaded = ReplayMarkFile.Load(path);
            var bytes = File.ReadAllBytes(path);
            bytes[20] ^= 1;
            File.WriteAllBytes(path, bytes);

            Assert.That(loaded, Is.EqualTo(new[] { new KeyValuePair<NodeId, DateTimeOffset>(id, at) }));
            Assert.That(() => ReplayMarkFile.Load(path), Throws.InvalidOperationException.With.Message.Contains("checksum"));
            Assert.That(ReplayMarkFile.Load(Path.Combine(dataPath, "none")), Is.Null);
        }
        finally
        {
            System.IO.Directory.Delete(dataPath, recursive: true);
        }
    }
}
