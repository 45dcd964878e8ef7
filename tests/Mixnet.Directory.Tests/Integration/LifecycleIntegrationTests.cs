using Microsoft.Extensions.DependencyInjection;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Time.Testing;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Integration;

/// <summary>Expiry, restarts, the signing key on disk, health and reflection, over a real Kestrel.</summary>
[TestFixture]
public sealed class LifecycleIntegrationTests
{
    [Test]
    public async Task Heartbeat_SilentPastTtl_NodeExpiresAndLeavesTopology()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await DirectoryServerHost.StartAsync(
            new Dictionary<string, string?> { ["Directory:TopologyBatchWindow"] = "00:00:00", ["Directory:ExpirySweepInterval"] = "00:00:01" }, time);
        var clients = new RawClients(server.Channel);
        using var quiet = new TestNode();
        using var chatty = new TestNode();
        var quietLease = await clients.Registry.RegisterNodeAsync(quiet.RegisterRequest(time.GetUtcNow())).ResponseAsync.Within();
        var chattyLease = await clients.Registry.RegisterNodeAsync(chatty.RegisterRequest(time.GetUtcNow())).ResponseAsync.Within();
        chatty.LeaseToken = chattyLease.LeaseToken;
        quiet.LeaseToken = quietLease.LeaseToken;

        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await clients.Presence.HeartbeatAsync(chatty.HeartbeatRequest()).ResponseAsync.Within();
        }

        var ex = Assert.ThrowsAsync<RpcException>(() => clients.Presence.HeartbeatAsync(quiet.HeartbeatRequest()).ResponseAsync.Within());
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.NotFound), "25 s of silence is past the 20 s TTL");
        var registry = server.Services.GetService(typeof(Server.Registry.NodeRegistry)) as Server.Registry.NodeRegistry;
        registry!.ExpireDue();
        Assert.That(server.Services.GetRequiredService<Server.Presence.Leases>().Count, Is.EqualTo(1), "only the heartbeating node is left");
        Assert.That(server.Services.GetRequiredService<Server.Topology.Membership>().State.Nodes.Count, Is.EqualTo(1), "the silent node left the topology");
        var found = await clients.Registry.GetNodeAsync(new GetNodeRequest { IdentityKey = chatty.IdentityKey }).ResponseAsync.Within();
        Assert.That(found.LastSeen.ToDateTimeOffset(), Is.EqualTo(time.GetUtcNow()).Within(TimeSpan.FromMilliseconds(1)));
        server.AssertNoUnexpectedErrors();
        server.DeleteData();
    }

    [Test]
    public async Task Restart_SameDataPath_KeepsDirectoryKey()
    {
        var server = await DirectoryServerHost.StartAsync();
        var first = (await new RawClients(server.Channel).Topology.GetDirectoryInfoAsync(new GetDirectoryInfoRequest()).ResponseAsync.Within()).DirectoryKey;
        var keyFile = Path.Combine(server.DataPath, "directory.key");
        await server.DisposeAsync();

        await using var again = await DirectoryServerHost.StartAsync(dataPath: server.DataPath);
        var second = (await new RawClients(again.Channel).Topology.GetDirectoryInfoAsync(new GetDirectoryInfoRequest()).ResponseAsync.Within()).DirectoryKey;

        Assert.That(second, Is.EqualTo(first));
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(keyFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }

        Assert.That(again.Logs.Entries.Any(e => e.EventId.Id == 1 && e.Message.Contains("SHA256:", StringComparison.Ordinal)), Is.True, "the fingerprint is logged at start");
        again.DeleteData();
    }

    [Test]
    public void Start_CorruptSigningKey_FailsWithClearMessage()
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "mixdir-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dataPath);
        File.WriteAllText(Path.Combine(dataPath, "directory.key"), "not a key");
        if (!OperatingSystem.IsWindows())
        {
            // Owner-only, so the key is refused for being corrupt, not for its permissions.
            File.SetUnixFileMode(Path.Combine(dataPath, "directory.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            var ex = Assert.CatchAsync<Exception>(() => DirectoryServerHost.StartAsync(dataPath: dataPath));
            var messages = string.Join(" | ", Flatten(ex!).Select(e => e.Message));
            Assert.That(messages, Does.Contain("corrupt").And.Contain("directory.key"));
        }
        finally
        {
            System.IO.Directory.Delete(dataPath, recursive: true);
        }
    }

    [Test]
    public async Task Health_Check_Serving()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        var health = new Health.HealthClient(server.Channel);
        var response = await health.CheckAsync(new HealthCheckRequest()).ResponseAsync.Within();
        Assert.That(response.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving));
        server.DeleteData();
    }

    [Test]
    public async Task Reflection_ListServices_NamesTheContract()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        var reflection = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(server.Channel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = string.Empty }).Within();
        await call.RequestStream.CompleteAsync().Within();
        Assert.That(await call.ResponseStream.MoveNext(CancellationToken.None).Within(), Is.True);
        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.That(names, Is.SupersetOf(new[]
        {
            "mixnet.directory.v1.RegistryService",
            "mixnet.directory.v1.PresenceService",
            "mixnet.directory.v1.TopologyService",
            "grpc.health.v1.Health",
        }));
        server.DeleteData();
    }

    private static IEnumerable<Exception> Flatten(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException agg)
            {
                foreach (var inner in agg.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }
}
