using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Grpc.Core;
using Mixnet.Directory.Cli;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;

namespace Mixnet.Directory.Tests.Tools;

/// <summary>mixdir admin ban, unban and bans against a real directory with an admin token, and the ways it refuses.</summary>
[TestFixture]
public sealed class MixdirAdminTests : DirectoryFixture
{
    private const string Token = "s3cret-admin-token-0123456789";
    private const string TokenName = "ops-alice";

    private string _address = null!;

    [SetUp]
    public async Task SetUp()
    {
        await StartDirectoryAsync(new Dictionary<string, string?> { [$"Directory:AdminTokens:{TokenName}"] = Token });
        _address = Server.GrpcAddress.ToString().TrimEnd('/');
    }

    [Test]
    public async Task Ban_ThenBansListsIt_AndTheNodeIsRefusedRegistration()
    {
        using var node = new TestNode();
        var id = KeyFingerprint.Abbreviate(node.IdentityKey.Span);

        var ban = await CliRun.RunAsync("admin", "ban", node.IdentityKey.Hex(), "--reason", "drops packets", "--token", Token, "--directory", _address);
        var table = await CliRun.RunAsync("admin", "bans", "--token", Token, "--directory", _address);
        var json = await CliRun.RunAsync("admin", "bans", "--json", "--token", Token, "--directory", _address);

        Assert.That(ban.ExitCode, Is.EqualTo(ExitCodes.Success), ban.ToString());
        Assert.That(ban.Output.TrimEnd(), Is.EqualTo($"banned {id} (drops packets) by {TokenName}"));
        Assert.That(ban.Error, Is.Empty);

        Assert.That(table.ExitCode, Is.EqualTo(ExitCodes.Success), table.ToString());
        var row = table.Output.Split('\n').Single(l => l.Contains(id, StringComparison.Ordinal));
        Assert.That(row, Does.Contain("drops packets").And.Contain(TokenName).And.Match(@"20\d\d-\d\d-\d\d \d\d:\d\d:\d\d"));
        Assert.That(table.Output, Does.Contain("1 ban"));

        Assert.That(json.ExitCode, Is.EqualTo(ExitCodes.Success), json.ToString());
        using var document = JsonDocument.Parse(json.Output);
        var bans = document.RootElement.GetProperty("bans").EnumerateArray().ToList();
        Assert.That(bans, Has.Count.EqualTo(1));
        Assert.That(bans[0].GetProperty("identity_key").GetString(), Is.EqualTo(node.IdentityKey.Hex()));
        Assert.That(bans[0].GetProperty("reason").GetString(), Is.EqualTo("drops packets"));
        Assert.That(bans[0].GetProperty("banned_by").GetString(), Is.EqualTo(TokenName));
        var bannedAt = DateTimeOffset.Parse(bans[0].GetProperty("banned_at").GetString()!, CultureInfo.InvariantCulture);
        Assert.That(bannedAt, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));

        var refused = Assert.ThrowsAsync<RpcException>(() => new RawClients(Server.Channel).Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within());
        Assert.That(refused!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));

        foreach (var run in new[] { ban, table, json })
        {
            Assert.That(run.Output + run.Error, Does.Not.Contain(Token));
        }
    }

    [Test]
    public async Task Ban_LiveNode_LeavesTheTopology()
    {
        using var node = await Server.RegisterAsync();
        await Server.WaitForTopologyAsync(1);

        var run = await CliRun.RunAsync("admin", "ban", node.IdentityKey.Hex(), "--token", Token, "--directory", _address);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
        Assert.That(run.Output.TrimEnd(), Is.EqualTo($"banned {KeyFingerprint.Abbreviate(node.IdentityKey.Span)} (no reason given) by {TokenName}"));
        await Server.WaitForTopologyAsync(0);
    }

    [Test]
    public async Task Unban_Banned_LiftsTheBan_ThenSaysNotBanned()
    {
        using var node = new TestNode();
        var id = KeyFingerprint.Abbreviate(node.IdentityKey.Span);
        var ban = await CliRun.RunAsync("admin", "ban", node.IdentityKey.Hex(), "--reason", "sybil", "--token", Token, "--directory", _address);
        Assert.That(ban.ExitCode, Is.EqualTo(ExitCodes.Success), ban.ToString());

        var unban = await CliRun.RunAsync("admin", "unban", Convert.ToBase64String(node.IdentityKey.Span), "--token", Token, "--directory", _address);
        var again = await CliRun.RunAsync("admin", "unban", node.IdentityKey.Hex(), "--token", Token, "--directory", _address);
        var bans = await CliRun.RunAsync("admin", "bans", "--token", Token, "--directory", _address);

        Assert.That(unban.ExitCode, Is.EqualTo(ExitCodes.Success), unban.ToString());
        Assert.That(unban.Output.TrimEnd(), Is.EqualTo($"unbanned {id}"));
        Assert.That(again.ExitCode, Is.EqualTo(ExitCodes.Success), again.ToString());
        Assert.That(again.Output.TrimEnd(), Is.EqualTo($"{id} was not banned"));
        Assert.That(bans.ExitCode, Is.EqualTo(ExitCodes.Success), bans.ToString());
        Assert.That(bans.Output.TrimEnd(), Is.EqualTo("no bans"));
        var lease = await new RawClients(Server.Channel).Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();
        Assert.That(lease.LeaseToken.Length, Is.EqualTo(32), "an unbanned node registers again");
    }

    [Test]
    public async Task TokenAndDirectoryFromEnvironment_DirectoryBeforeTheCommand_Work()
    {
        using var node = new TestNode();
        var environment = new Dictionary<string, string> { ["MIXDIR_ADMIN_TOKEN"] = Token, ["MIXDIR_DIRECTORY"] = _address };

        var fromEnvironment = await CliRun.RunAsync(environment, "admin", "ban", node.IdentityKey.Hex(), "--reason", "from env");
        var globalOption = await CliRun.RunAsync("--directory", _address, "admin", "bans", "--json", "--token", Token);

        Assert.That(fromEnvironment.ExitCode, Is.EqualTo(ExitCodes.Success), fromEnvironment.ToString());
        Assert.That(fromEnvironment.Output, Does.Contain("(from env) by " + TokenName));
        Assert.That(globalOption.ExitCode, Is.EqualTo(ExitCodes.Success), globalOption.ToString());
        using var document = JsonDocument.Parse(globalOption.Output);
        Assert.That(document.RootElement.GetProperty("bans").EnumerateArray().Select(b => b.GetProperty("identity_key").GetString()), Is.EqualTo(new[] { node.IdentityKey.Hex() }));
    }

    [Test]
    public async Task WrongToken_ExitsFive_NeverPrintsTheToken_ChangesNothing()
    {
        const string wrong = "wrong-token-wrong-token-42";
        using var node = new TestNode();

        var ban = await CliRun.RunAsync("admin", "ban", node.IdentityKey.Hex(), "--token", wrong, "--directory", _address);
        var bans = await CliRun.RunAsync(new Dictionary<string, string> { ["MIXDIR_ADMIN_TOKEN"] = wrong }, "admin", "bans", "--directory", _address);

        foreach (var run in new[] { ban, bans })
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.NotAuthorized), run.ToString());
            Assert.That(run.Error, Does.Contain("the admin token was refused"));
            Assert.That(run.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace");
            Assert.That(run.Output, Is.Empty);
            Assert.That(run.Output + run.Error, Does.Not.Contain(wrong).And.Not.Contain(Token));
        }

        var list = await CliRun.RunAsync("admin", "bans", "--json", "--token", Token, "--directory", _address);
        using var document = JsonDocument.Parse(list.Output);
        Assert.That(document.RootElement.GetProperty("bans").GetArrayLength(), Is.Zero, "nothing was banned");
    }

    [Test]
    public async Task DirectoryWithoutAdminTokens_ExitsFiveSayingSo()
    {
        await using var plain = await DirectoryServerHost.StartAsync();
        try
        {
            var run = await CliRun.RunAsync("admin", "bans", "--token", Token, "--directory", plain.GrpcAddress.ToString().TrimEnd('/'));

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.NotAuthorized), run.ToString());
            Assert.That(run.Error, Does.Contain("the directory has no admin tokens configured"));
            Assert.That(run.Output + run.Error, Does.Not.Contain(Token));
        }
        finally
        {
            plain.DeleteData();
        }
    }

    [TestCase("ban")]
    [TestCase("unban")]
    [TestCase("bans")]
    public async Task MissingToken_ExitsOneBeforeConnecting(string command)
    {
        using var node = new TestNode();
        string[] args = command == "bans" ? ["admin", command] : ["admin", command, node.IdentityKey.Hex()];

        // The directory is not even there: a missing token is found before anything is sent.
        var run = await CliRun.RunAsync([.. args, "--directory", $"http://127.0.0.1:{UnusedPort()}"]);
        var blank = await CliRun.RunAsync(new Dictionary<string, string> { ["MIXDIR_ADMIN_TOKEN"] = "  " }, [.. args, "--directory", _address]);

        foreach (var r in new[] { run, blank })
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput), r.ToString());
            Assert.That(r.Error, Does.Contain("--token").And.Contain("MIXDIR_ADMIN_TOKEN"));
            Assert.That(r.Output, Is.Empty);
        }
    }

    [TestCase("ban")]
    [TestCase("unban")]
    public async Task MalformedIdentity_ExitsOneNamingTheArgument(string command)
    {
        var run = await CliRun.RunAsync("admin", command, "not-a-key", "--token", Token, "--directory", _address);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
        Assert.That(run.Error, Does.Contain("ID: ").And.Contain("not-a-key"));
        Assert.That(run.Error, Does.Not.Contain(Token));
    }

    [Test]
    public async Task Ban_ReasonTooLong_ExitsOneNamingTheOption()
    {
        using var node = new TestNode();

        var run = await CliRun.RunAsync("admin", "ban", node.IdentityKey.Hex(), "--reason", new string('x', 257), "--token", Token, "--directory", _address);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
        Assert.That(run.Error, Does.Contain("--reason"));
    }

    [Test]
    public async Task DirectoryUnreachable_ExitsTwo()
    {
        var address = $"http://127.0.0.1:{UnusedPort()}";

        var run = await CliRun.RunAsync("admin", "bans", "--token", Token, "--directory", address);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Unreachable), run.ToString());
        Assert.That(run.Error, Does.StartWith($"mixdir: cannot reach the directory at {address}: "));
        Assert.That(run.Error, Does.Not.Contain(Token));
    }

    [Test]
    public async Task PinnedKeyDiffers_ExitsFourBeforeTheTokenIsSent()
    {
        // A wrong token makes the directory log a refusal if an admin call reaches it.
        var run = await CliRun.RunAsync("admin", "bans", "--token", "wrong-token-wrong-token-42", "--directory", _address, "--directory-key", Convert.ToHexString(new byte[32]));

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.KeyMismatch), run.ToString());
        Assert.That(Server.Logs.Entries.Select(e => e.ToString()), Has.None.Contains("refused"), "no admin call was made");
    }

    /// <summary>A loopback port nothing listens on: bound, read, released.</summary>
    private static int UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
