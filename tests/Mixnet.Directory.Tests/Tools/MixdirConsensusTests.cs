using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Mixnet.Directory.Cli;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;
using NSec.Cryptography;
using static Mixnet.Directory.Tests.Infrastructure.AuthorityCluster;

namespace Mixnet.Directory.Tests.Tools;

/// <summary>
/// <c>mixdir consensus</c> against three real authorities on loopback: it shows who signed, and
/// accepts the consensus only with a majority of the pinned keys.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class MixdirConsensusTests
{
    // Long enough that the next epoch's first (two-signature) document comes well after the test's mixdir run.
    private static readonly TimeSpan EpochLength = TimeSpan.FromSeconds(6);

    private AuthorityCluster _cluster = null!;
    private TestNode[] _nodes = null!;
    private string[] _keys = null!;
    private string[] _addresses = null!;
    private ulong _epoch;

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        _cluster = await AuthorityCluster.StartAsync(3, EpochLength);
        _keys = [.. _cluster.PublicKeys.Select(k => KeyFingerprint.Hex(k.Span))];
        _addresses = [.. _cluster.Addresses.Select(a => a.ToString().TrimEnd('/'))];
        _nodes = [new TestNode(NodeRole.Mixnode, 1), new TestNode(NodeRole.Gateway)];
        var requests = _nodes.Select(n => n.RegisterRequest(DateTimeOffset.UtcNow)).ToArray();
        foreach (var host in _cluster.Running)
        {
            var registry = new RegistryService.RegistryServiceClient(host.Channel);
            foreach (var request in requests)
            {
                await registry.RegisterNodeAsync(request).ResponseAsync.Within();
            }
        }
    }

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        await _cluster.DisposeAsync();
        foreach (var node in _nodes)
        {
            node.Dispose();
        }
    }

    /// <summary>Waits until every authority serves a document with both nodes and all three signatures.</summary>
    [SetUp]
    public async Task FullySigned()
    {
        var published = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => _cluster.Published(i, c => Nodes(c) == 2 && c.Signatures.Count == 3))).Within(TimeSpan.FromSeconds(40));
        _epoch = Epoch(published[0]);
    }

    [Test]
    public async Task Pinned_ThreeOfThree_Verifies_ShowingEpochSignersAndNodes()
    {
        var json = await CliRun.RunAsync(["consensus", "-o", "json", .. Pins(_keys)]);
        var table = await CliRun.RunAsync(["consensus", .. Pins(_keys)]);

        Assert.That(json.ExitCode, Is.EqualTo(ExitCodes.Success), json.ToString());
        using var document = JsonDocument.Parse(json.Output);
        var root = document.RootElement;
        Assert.That(root.GetProperty("verification").GetString(), Is.EqualTo("verified"));
        Assert.That(root.GetProperty("verified").GetBoolean(), Is.True);
        Assert.That(root.GetProperty("epoch").GetUInt64(), Is.GreaterThanOrEqualTo(_epoch));
        Assert.That(root.GetProperty("threshold").GetInt32(), Is.EqualTo(2));
        Assert.That(root.GetProperty("valid_signatures").GetInt32(), Is.EqualTo(3));
        var signers = root.GetProperty("signers").EnumerateArray().ToList();
        Assert.That(signers.Select(s => s.GetProperty("authority_key").GetString()), Is.EquivalentTo(_keys));
        Assert.That(signers.Select(s => s.GetProperty("state").GetString()), Is.All.EqualTo("signed"));
        var nodes = root.GetProperty("nodes");
        Assert.That(nodes.GetProperty("total").GetInt32(), Is.EqualTo(2));
        Assert.That(nodes.GetProperty("mixnodes").GetInt32(), Is.EqualTo(1));
        Assert.That(nodes.GetProperty("gateways").GetInt32(), Is.EqualTo(1));
        Assert.That(nodes.GetProperty("layers")[0].GetInt32(), Is.EqualTo(1));
        Assert.That(root.GetProperty("valid_until").GetDateTimeOffset(), Is.GreaterThan(root.GetProperty("fresh_until").GetDateTimeOffset()));
        Assert.That(root.GetProperty("authorities").EnumerateArray().Select(a => a.GetProperty("verified").GetBoolean()), Is.All.True);

        Assert.That(table.ExitCode, Is.EqualTo(ExitCodes.Success), table.ToString());
        Assert.That(table.Output, Does.Contain("3 of 3 pinned keys signed; 2 required"));
        Assert.That(table.Output, Does.Contain("verification  OK"));
        Assert.That(table.Output, Does.Contain($"  {_keys[0][..8]}").And.Contain("1 mixnodes (layer 1: 1, layer 2: 0, layer 3: 0), 1 gateways"));
    }

    [Test]
    public async Task OnePinnedKeyIsNotAnAuthority_TwoOfThreeStillVerify_AndTheOthersAreMarked()
    {
        var stranger = Stranger();

        var run = await CliRun.RunAsync(["consensus", "-o", "json", .. Pins([_keys[0], _keys[1], stranger])]);
        var strict = await CliRun.RunAsync(["consensus", "--threshold", "3", .. Pins([_keys[0], _keys[1], stranger])]);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
        using var document = JsonDocument.Parse(run.Output);
        var states = document.RootElement.GetProperty("signers").EnumerateArray()
            .ToDictionary(s => s.GetProperty("authority_key").GetString()!, s => (State: s.GetProperty("state").GetString(), Pinned: s.GetProperty("pinned").GetBoolean()));
        Assert.That(states[_keys[0]], Is.EqualTo(("signed", true)));
        Assert.That(states[_keys[1]], Is.EqualTo(("signed", true)));
        Assert.That(states[stranger], Is.EqualTo(("missing", true)));
        Assert.That(states[_keys[2]], Is.EqualTo(("unpinned", false)), "a signature by a key that is not pinned is shown but not counted");
        Assert.That(document.RootElement.GetProperty("valid_signatures").GetInt32(), Is.EqualTo(2));

        Assert.That(strict.ExitCode, Is.EqualTo(ExitCodes.KeyMismatch), strict.ToString());
        Assert.That(strict.Error, Does.Contain("2 valid signatures by distinct configured authorities; 3 are required"));
        Assert.That(strict.Output, Does.Contain("verification  FAILED"));
    }

    [Test]
    public async Task NoPinnedKeySigned_Exit4_NamingEveryAuthority()
    {
        var run = await CliRun.RunAsync(["consensus", .. Pins([Stranger(), Stranger(), Stranger()])]);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.KeyMismatch), run.ToString());
        foreach (var address in _addresses)
        {
            Assert.That(run.Error, Does.Contain(address + ": the consensus carries 0 valid signatures"));
        }
    }

    [Test]
    public async Task NoVerify_ShowsTheDocument_MarkedUnverified()
    {
        var table = await CliRun.RunAsync("consensus", "--no-verify", "--authority", _addresses[1]);
        var json = await CliRun.RunAsync("consensus", "--no-verify", "-o", "json", "--authority", _addresses[1]);

        Assert.That(table.ExitCode, Is.EqualTo(ExitCodes.Success), table.ToString());
        Assert.That(table.Output, Does.Contain("UNVERIFIED").And.Contain("not checked (no pinned keys)"));
        using var document = JsonDocument.Parse(json.Output);
        Assert.That(document.RootElement.GetProperty("verification").GetString(), Is.EqualTo("unverified"));
        Assert.That(document.RootElement.GetProperty("verified").GetBoolean(), Is.False);
        Assert.That(document.RootElement.GetProperty("nodes").GetProperty("total").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public async Task AuthoritiesFromTheEnvironment_AreUsed_WithKeysAfterTheirUrls()
    {
        var list = string.Join(",", _addresses.Zip(_keys, (a, k) => $"{a}={k}"));

        var run = await CliRun.RunAsync(new Dictionary<string, string> { ["MIXDIR_AUTHORITIES"] = list }, "consensus", "-o", "json");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
        using var document = JsonDocument.Parse(run.Output);
        Assert.That(document.RootElement.GetProperty("authorities").GetArrayLength(), Is.EqualTo(3));
    }

    [Test]
    public async Task UnreachableAuthorities_Exit2_AndOneStillAnswering_Suffices()
    {
        var closed = $"http://127.0.0.1:{ClosedPort()}";

        var none = await CliRun.RunAsync("consensus", "--timeout", "3s", "--authority", $"{closed}={_keys[0]}");
        var one = await CliRun.RunAsync("consensus", "--timeout", "3s", "--authority", $"{closed}={_keys[0]}", "--authority", $"{_addresses[2]}={_keys[1]}", "--authority-key", _keys[2]);

        Assert.That(none.ExitCode, Is.EqualTo(ExitCodes.Unreachable), none.ToString());
        Assert.That(none.Error, Does.Contain($"cannot reach the directory at {closed}"));
        Assert.That(one.ExitCode, Is.EqualTo(ExitCodes.Success), one.ToString());
        Assert.That(one.Output, Does.Contain($"from         {_addresses[2]}"));
    }

    [Test]
    public async Task ADirectoryThatIsNotAnAuthority_Exit3()
    {
        await using var plain = await DirectoryServerHost.StartAsync();
        try
        {
            var run = await CliRun.RunAsync("consensus", "--authority", $"{plain.GrpcAddress.ToString().TrimEnd('/')}={_keys[0]}");

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.NotFound), run.ToString());
            Assert.That(run.Error, Does.Contain("not a directory authority"));
        }
        finally
        {
            plain.DeleteData();
        }
    }

    [TestCase(new[] { "consensus" }, "no authority to ask")]
    [TestCase(new[] { "consensus", "--authority", "http://127.0.0.1:1" }, "no authority key is pinned")]
    [TestCase(new[] { "consensus", "--authority", "ftp://x=00" }, "is not an http:// or https:// URL")]
    [TestCase(new[] { "consensus", "--authority", "http://127.0.0.1:1=abc" }, "is not a 32-byte key")]
    [TestCase(new[] { "consensus", "--authority-key", "abc" }, "--authority-key: 'abc' is not a 32-byte key")]
    public async Task WrongInput_Exit1_NamingTheProblem(string[] args, string message)
    {
        var run = await CliRun.RunAsync(args);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
        Assert.That(run.Error, Does.Contain(message));
    }

    [Test]
    public async Task ThresholdBelowAMajority_Exit1()
    {
        var run = await CliRun.RunAsync(["consensus", "--threshold", "1", .. Pins(_keys)]);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
        Assert.That(run.Error, Does.Contain("--threshold: 1 is not between 2 (a strict majority of the 3 pinned keys) and 3"));
    }

    private string[] Pins(string[] keys) => [.. _addresses.Zip(keys, (a, k) => new[] { "--authority", $"{a}={k}" }).SelectMany(x => x)];

    private static string Stranger()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519);
        return KeyFingerprint.Hex(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    private static int ClosedPort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
