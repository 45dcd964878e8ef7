using Mixnet.Directory.Cli;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.Tools;

/// <summary>Ids as tables show them (8 hex digits) work wherever an id does; an ambiguous or unknown prefix is exit 1.</summary>
[TestFixture]
public sealed class MixdirIdPrefixTests : DirectoryFixture
{
    private string _address = null!;

    [SetUp]
    public async Task SetUp()
    {
        await StartDirectoryAsync();
        _address = Server.GrpcAddress.ToString().TrimEnd('/');
    }

    [Test]
    public async Task Node_TableId_ShowsThatNode()
    {
        using var node = await Server.RegisterAsync();
        using var other = await Server.RegisterAsync();
        await Server.WaitForTopologyAsync(2);
        var id = KeyFingerprint.Abbreviate(node.IdentityKey.Span);

        var run = await CliRun.RunAsync("node", id, "--directory", _address);
        var upper = await CliRun.RunAsync("node", id.ToUpperInvariant(), "--directory", _address);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
        Assert.That(run.Output, Does.Contain(node.IdentityKey.Hex()).And.Not.Contain(other.IdentityKey.Hex()));
        Assert.That(upper.ExitCode, Is.EqualTo(ExitCodes.Success), upper.ToString());
        Assert.That(upper.Output, Does.Contain(node.IdentityKey.Hex()));
    }

    [Test]
    public async Task Node_AmbiguousPrefix_ExitsOneListingEveryMatch()
    {
        var (a, b) = TwoNodesSharingTheFirstDigit();
        using (a)
        using (b)
        {
            await Server.RegisterAsync(a);
            await Server.RegisterAsync(b);
            await Server.WaitForTopologyAsync(2);
            var prefix = a.IdentityKey.Hex()[..1];

            var run = await CliRun.RunAsync("node", prefix, "--directory", _address);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
            Assert.That(run.Error, Does.Contain($"'{prefix}' matches 2 nodes"));
            Assert.That(run.Error, Does.Contain(a.IdentityKey.Hex()).And.Contain(b.IdentityKey.Hex()));
            Assert.That(run.Output, Is.Empty);

            // One more digit than they share tells them apart.
            var common = CommonPrefixLength(a.IdentityKey.Hex(), b.IdentityKey.Hex());
            var unique = await CliRun.RunAsync("node", a.IdentityKey.Hex()[..(common + 1)], "--directory", _address);
            Assert.That(unique.ExitCode, Is.EqualTo(ExitCodes.Success), unique.ToString());
            Assert.That(unique.Output, Does.Contain(a.IdentityKey.Hex()));
        }
    }

    [Test]
    public async Task Node_PrefixOfNoNode_ExitsOneSayingNoNode()
    {
        using var node = await Server.RegisterAsync();
        await Server.WaitForTopologyAsync(1);
        var absent = OtherPrefix(node.IdentityKey.Hex());

        var run = await CliRun.RunAsync("node", absent, "--directory", _address);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
        Assert.That(run.Error, Does.Contain("no node").And.Contain(absent));
    }

    [Test]
    public async Task Metrics_NodeNotInTopology_ExitsOneWithMessage()
    {
        using var node = await Server.RegisterAsync();
        await Server.WaitForTopologyAsync(1);
        using var absent = new TestNode();

        var byKey = await CliRun.RunAsync("metrics", "--node", absent.IdentityKey.Hex(), "--directory", _address);
        var byPrefix = await CliRun.RunAsync("metrics", "--node", OtherPrefix(node.IdentityKey.Hex()), "--directory", _address);

        foreach (var run in new[] { byKey, byPrefix })
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
            Assert.That(run.Error, Does.Contain("no node"));
            Assert.That(run.Output, Is.Empty, "no empty table");
        }
    }

    [Test]
    public async Task AdminBan_TableId_BansThatNode()
    {
        const string token = "prefix-test-admin-token-0123";
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?> { ["Directory:AdminTokens:ops"] = token });
        try
        {
            using var node = await server.RegisterAsync();
            await server.WaitForTopologyAsync(1);
            var id = KeyFingerprint.Abbreviate(node.IdentityKey.Span);

            var run = await CliRun.RunAsync("admin", "ban", id, "--token", token, "--directory", server.GrpcAddress.ToString().TrimEnd('/'));

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
            Assert.That(run.Output, Does.StartWith($"banned {id} "));
            await server.WaitForTopologyAsync(0);
        }
        finally
        {
            server.DeleteData();
        }
    }

    /// <summary>Two fresh identities whose hex ids start with the same digit (one in 16 pairs does; 17 keys always hold one).</summary>
    private static (TestNode A, TestNode B) TwoNodesSharingTheFirstDigit()
    {
        var seen = new Dictionary<char, TestNode>();
        while (true)
        {
            var node = new TestNode();
            if (seen.Remove(node.IdentityKey.Hex()[0], out var twin))
            {
                foreach (var other in seen.Values)
                {
                    other.Dispose();
                }

                return (twin, node);
            }

            seen[node.IdentityKey.Hex()[0]] = node;
        }
    }

    private static int CommonPrefixLength(string a, string b)
    {
        var i = 0;
        while (i < a.Length && a[i] == b[i])
        {
            i++;
        }

        return i;
    }

    /// <summary>An 8-digit prefix that <paramref name="hex"/> does not start with.</summary>
    private static string OtherPrefix(string hex) => (hex[0] == '0' ? "1" : "0") + hex[1..8];
}
