using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
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
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Operating;

/// <summary>AdminService: bearer tokens, bans that take effect at once and survive a restart, the audit trail.</summary>
[TestFixture]
public sealed class AdminIntegrationTests
{
    private const string Token = "s3cret-admin-token-0123456789";
    private static readonly Dictionary<string, string?> WithAdmin = new() { ["Directory:AdminTokens:ops-alice"] = Token };

    [Test]
    public async Task AdminService_NoTokensConfigured_NotServed()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        var admin = new AdminService.AdminServiceClient(server.Channel);
        var ex = Assert.ThrowsAsync<RpcException>(() => admin.ListBansAsync(new ListBansRequest(), Bearer(Token)).ResponseAsync.Within());
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unimplemented));
        server.DeleteData();
    }

    [TestCase(null)]
    [TestCase("Bearer wrong-token-wrong-token")]
    [TestCase("Basic czNjcmV0")]
    public async Task AdminService_WrongOrMissingToken_UnauthenticatedAndTokenNotLogged(string? authorization)
    {
        await using var server = await DirectoryServerHost.StartAsync(WithAdmin);
        var admin = new AdminService.AdminServiceClient(server.Channel);
        var headers = authorization is null ? new Metadata() : new Metadata { { "authorization", authorization } };
        using var node = new TestNode();

        var ex = Assert.ThrowsAsync<RpcException>(() => admin.BanNodeAsync(new BanNodeRequest { IdentityKey = node.IdentityKey }, headers).ResponseAsync.Within());

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
        Assert.That(server.Services.GetRequiredService<BanList>().List(), Is.Empty, "nothing changed");
        var logs = server.Logs.Entries.Select(e => e.ToString()).ToList();
        Assert.That(logs.Any(l => l.Contains("refused", StringComparison.Ordinal)), Is.True, "the refusal is logged");
        Assert.That(logs.Where(l => l.Contains(Token, StringComparison.Ordinal) || (authorization is not null && l.Contains(authorization, StringComparison.Ordinal))), Is.Empty);
        server.DeleteData();
    }

    [Test]
    public async Task BanNode_LiveNode_LeavesAtOnceAndIsRefusedEverywhere()
    {
        await using var server = await DirectoryServerHost.StartAsync(WithAdmin);
        var clients = new RawClients(server.Channel);
        var admin = new AdminService.AdminServiceClient(server.Channel);
        using var node = new TestNode();
        var lease = await clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();
        node.LeaseToken = lease.LeaseToken;
        var membership = server.Services.GetRequiredService<Membership>();
        var versionBefore = membership.State.Version;

        var ban = await admin.BanNodeAsync(new BanNodeRequest { IdentityKey = node.IdentityKey, Reason = "drops packets" }, Bearer(Token)).ResponseAsync.Within();

        Assert.That(ban.Ban.BannedBy, Is.EqualTo("ops-alice"));
        Assert.That(membership.State.Nodes, Is.Empty, "the node left the topology at once");
        Assert.That(membership.State.Version, Is.GreaterThan(versionBefore));
        Assert.That(Code(() => clients.Presence.HeartbeatAsync(node.HeartbeatRequest()).ResponseAsync), Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(Code(() => clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow.AddSeconds(1))).ResponseAsync), Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(Code(() => clients.Metrics.ReportMetricsAsync(new ReportMetricsRequest { IdentityKey = node.IdentityKey, LeaseToken = lease.LeaseToken }).ResponseAsync), Is.EqualTo(StatusCode.PermissionDenied));
        var audit = server.Logs.Entries.Where(e => e.EventId.Id == 3001).Select(e => e.Message).ToList();
        Assert.That(audit, Has.Some.Contains("ops-alice").And.Contains("drops packets"));
        Assert.That(audit, Has.None.Contains(Token));

        var unban = await admin.UnbanNodeAsync(new UnbanNodeRequest { IdentityKey = node.IdentityKey }, Bearer(Token)).ResponseAsync.Within();
        Assert.That(unban.WasBanned, Is.True);
        var again = await clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow.AddSeconds(2))).ResponseAsync.Within();
        Assert.That(again.LeaseToken.Length, Is.EqualTo(32), "an unbanned node registers again");
        server.AssertNoUnexpectedErrors();
        server.DeleteData();
    }

    [Test]
    public async Task Bans_DirectoryRestarts_StillBanned()
    {
        var first = await DirectoryServerHost.StartAsync(WithAdmin);
        using var node = new TestNode();
        await new AdminService.AdminServiceClient(first.Channel).BanNodeAsync(new BanNodeRequest { IdentityKey = node.IdentityKey, Reason = "sybil" }, Bearer(Token)).ResponseAsync.Within();
        await first.DisposeAsync();

        await using var second = await DirectoryServerHost.StartAsync(WithAdmin, dataPath: first.DataPath);
        var bans = await new AdminService.AdminServiceClient(second.Channel).ListBansAsync(new ListBansRequest(), Bearer(Token)).ResponseAsync.Within();

        Assert.That(bans.Bans.Select(b => b.IdentityKey), Is.EqualTo(new[] { node.IdentityKey }));
        Assert.That(bans.Bans[0].Reason, Is.EqualTo("sybil"));
        Assert.That(Code(() => new RawClients(second.Channel).Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync), Is.EqualTo(StatusCode.PermissionDenied));
        second.DeleteData();
    }

    [Test]
    public void Start_CorruptBanFile_FailsInsteadOfUnbanningEveryone()
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "mixdir-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dataPath);
        File.WriteAllText(Path.Combine(dataPath, "bans.json"), "{ \"format\": 1, \"bans\": [ { \"identity_key\": \"not-a-key\" } ] }");
        try
        {
            var ex = Assert.CatchAsync<Exception>(() => DirectoryServerHost.StartAsync(WithAdmin, dataPath: dataPath));
            var text = ex!.ToString();
            Assert.That(text, Does.Contain("bans.json").And.Contain("corrupt"));
        }
        finally
        {
            System.IO.Directory.Delete(dataPath, recursive: true);
        }
    }

    [Test]
    public async Task BanNode_MalformedKey_InvalidArgumentNamingIt()
    {
        await using var server = await DirectoryServerHost.StartAsync(WithAdmin);
        var admin = new AdminService.AdminServiceClient(server.Channel);
        var ex = Assert.ThrowsAsync<RpcException>(() => admin.BanNodeAsync(new BanNodeRequest { IdentityKey = ByteString.CopyFrom(1, 2, 3) }, Bearer(Token)).ResponseAsync.Within());
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Does.StartWith("identity_key"));
        server.DeleteData();
    }

    private static Metadata Bearer(string token) => new() { { "authorization", "Bearer " + token } };

    private static StatusCode Code(Func<Task> call)
    {
        var ex = Assert.ThrowsAsync<RpcException>(async () => await call().Within());
        return ex!.StatusCode;
    }
}
