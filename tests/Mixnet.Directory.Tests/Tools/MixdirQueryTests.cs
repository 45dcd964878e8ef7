using System.Text.Json;
using Mixnet.Directory.Cli;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Tools;

/// <summary>mixdir info, topology and node against a real directory.</summary>
[TestFixture]
public sealed class MixdirQueryTests : DirectoryFixture
{
    private string _address = null!;

    [SetUp]
    public async Task SetUp()
    {
        await StartDirectoryAsync();
        _address = Server.GrpcAddress.ToString().TrimEnd('/');
    }

    [Test]
    public async Task Info_PrintsTheServersKeyFingerprint_ExitsZero()
    {
        var info = await new RawClients(Server.Channel).Topology.GetDirectoryInfoAsync(new GetDirectoryInfoRequest()).ResponseAsync.Within();

        var run = await CliRun.RunAsync("info", "--directory", _address);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
        Assert.That(run.Output, Does.Contain(KeyFingerprint.Of(info.DirectoryKey.Span)));
        Assert.That(run.Output, Does.Contain(KeyFingerprint.Hex(info.DirectoryKey.Span)));
        Assert.That(run.Output, Does.Contain("heartbeat interval"));
        Assert.That(run.Output, Does.Contain(info.ServerVersion));
        Assert.That(run.Error, Is.Empty);
    }

    [Test]
    public async Task Info_DirectoryOptionBeforeCommandAndPinnedKeyMatches_ExitsZero()
    {
        var info = await new RawClients(Server.Channel).Topology.GetDirectoryInfoAsync(new GetDirectoryInfoRequest()).ResponseAsync.Within();

        var run = await CliRun.RunAsync("--directory", _address, "info", "--directory-key", Convert.ToBase64String(info.DirectoryKey.Span));

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
        Assert.That(run.Output, Does.Match(@"pinned key\s+matches"));
    }

    [Test]
    public async Task Info_PinnedKeyDiffers_ExitsFourNamingBothFingerprints()
    {
        var wrong = new byte[32];

        var run = await CliRun.RunAsync("info", "--directory", _address, "--directory-key", Convert.ToHexString(wrong));

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.KeyMismatch), run.ToString());
        Assert.That(run.Error, Does.Contain(KeyFingerprint.Of(wrong)));
        Assert.That(run.Output, Is.Empty);
    }

    [Test]
    public async Task TopologyJson_ListsRegisteredNodesWithHexKeys()
    {
        using var l1 = await Server.RegisterAsync(NodeRole.Mixnode, 1);
        using var l2 = await Server.RegisterAsync(NodeRole.Mixnode, 2);
        using var gateway = await Server.RegisterAsync(NodeRole.Gateway);
        var published = await Server.WaitForTopologyAsync(3);

        var run = await CliRun.RunAsync("topology", "--json", "--directory", _address);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        Assert.That(root.GetProperty("version").GetUInt64(), Is.GreaterThanOrEqualTo(published.Version));
        var mixnodes = root.GetProperty("mixnodes").EnumerateArray().ToList();
        var gateways = root.GetProperty("gateways").EnumerateArray().ToList();
        Assert.That(mixnodes.Select(n => n.GetProperty("identity_key").GetString()), Is.EquivalentTo(new[] { l1.IdentityKey.Hex(), l2.IdentityKey.Hex() }));
        Assert.That(gateways.Select(n => n.GetProperty("identity_key").GetString()), Is.EqualTo(new[] { gateway.IdentityKey.Hex() }));
        var first = mixnodes.Single(n => n.GetProperty("identity_key").GetString() == l1.IdentityKey.Hex());
        Assert.That(first.GetProperty("sphinx_key").GetString(), Is.EqualTo(l1.Descriptor.SphinxKey.Hex()));
        Assert.That(first.GetProperty("layer").GetInt32(), Is.EqualTo(1));
        Assert.That(first.GetProperty("mix_port").GetInt32(), Is.EqualTo((int)l1.Descriptor.MixPort));
        Assert.That(gateways[0].GetProperty("client_port").GetInt32(), Is.EqualTo(9000));
    }

    [Test]
    public async Task Topology_Table_ShowsEachNodeByLayerAndTheVersion()
    {
        using var l2 = await Server.RegisterAsync(NodeRole.Mixnode, 2);
        using var gateway = await Server.RegisterAsync(NodeRole.Gateway);
        var published = await Server.WaitForTopologyAsync(2);

        var all = await CliRun.RunAsync("topology", "--directory", _address);
        var layer2 = await CliRun.RunAsync("topology", "--layer", "2", "--directory", _address);

        Assert.That(all.ExitCode, Is.EqualTo(ExitCodes.Success), all.ToString());
        var l2Row = all.Output.Split('\n').Single(l => l.Contains(KeyFingerprint.Abbreviate(l2.IdentityKey.Span), StringComparison.Ordinal));
        Assert.That(l2Row, Does.Match(@"^\s*2\s"));
        Assert.That(l2Row, Does.Contain($"127.0.0.1:{l2.Descriptor.MixPort}").And.Contain(l2.Version).And.Contain(l2.Location));
        var gatewayRow = all.Output.Split('\n').Single(l => l.Contains(KeyFingerprint.Abbreviate(gateway.IdentityKey.Span), StringComparison.Ordinal));
        Assert.That(gatewayRow, Does.Contain("gateway"));
        Assert.That(all.Output, Does.Contain($"version {published.Version}").And.Contain("1 mixnodes, 1 gateways"));
        Assert.That(layer2.Output, Does.Contain(KeyFingerprint.Abbreviate(l2.IdentityKey.Span)));
        Assert.That(layer2.Output, Does.Not.Contain(KeyFingerprint.Abbreviate(gateway.IdentityKey.Span)));
    }

    [Test]
    public async Task Node_Known_PrintsDetailsWithRegisteredAtAndLastSeen()
    {
        using var node = await Server.RegisterAsync(NodeRole.Mixnode, 3);

        var run = await CliRun.RunAsync("node", node.IdentityKey.Hex(), "--directory", _address);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
        Assert.That(run.Output, Does.Contain(node.IdentityKey.Hex()));
        Assert.That(run.Output, Does.Contain(node.Descriptor.SphinxKey.Hex()));
        Assert.That(run.Output, Does.Match(@"layer\s+3"));
        Assert.That(run.Output, Does.Contain($"127.0.0.1:{node.Descriptor.MixPort}"));
        Assert.That(run.Output, Does.Match(@"registered at\s+20\d\d-"));
        Assert.That(run.Output, Does.Match(@"last seen\s+20\d\d-"));
    }

    [Test]
    public async Task Node_Base64Identity_IsAccepted()
    {
        using var node = await Server.RegisterAsync();

        var run = await CliRun.RunAsync("node", Convert.ToBase64String(node.IdentityKey.Span), "--directory", _address);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
        Assert.That(run.Output, Does.Contain(node.IdentityKey.Hex()));
    }

    [Test]
    public async Task Node_Unknown_ExitsThreeWithMessage()
    {
        var unknown = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        var run = await CliRun.RunAsync("node", unknown, "--directory", _address);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.NotFound), run.ToString());
        Assert.That(run.Error, Does.Contain(unknown).And.Contain("not registered"));
        Assert.That(run.Output, Is.Empty);
    }
}
