using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mixnet.Directory.Cli;
using Mixnet.Directory.Client;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.Tools;

/// <summary>
/// A node run from the command line alone: keygen, node register, heartbeat and deregister against
/// a real directory; and descriptor sign, whose JSON the directory's REST route accepts as it is.
/// </summary>
[TestFixture]
public sealed class MixdirNodeLifecycleTests : DirectoryFixture
{
    private string _address = null!;
    private string _identityPath = null!;

    [SetUp]
    public async Task SetUp()
    {
        await StartDirectoryAsync();
        _address = Server.GrpcAddress.ToString().TrimEnd('/');
        _identityPath = Path.Combine(Server.DataPath, "node.identity");
        var keygen = await CliRun.RunAsync("keygen", "--out", _identityPath);
        Assert.That(keygen.ExitCode, Is.EqualTo(ExitCodes.Success), keygen.ToString());
    }

    [Test]
    public async Task RegisterHeartbeatDeregister_RoundTrip()
    {
        using var identity = NodeIdentity.Load(_identityPath);

        var register = await CliRun.RunAsync(
            "node", "register", "--identity", _identityPath, "--layer", "2", "--host", "127.0.0.1", "--mix-port", "31789",
            "--node-version", "2.3.4", "--location", "Berlin, DE", "-o", "json", "--directory", _address);

        Assert.That(register.ExitCode, Is.EqualTo(ExitCodes.Success), register.ToString());
        using var lease = JsonDocument.Parse(register.Output);
        var token = lease.RootElement.GetProperty("lease_token").GetString()!;
        Assert.That(token, Does.Match("^[0-9a-f]{64}$"));
        Assert.That(lease.RootElement.GetProperty("identity_key").GetString(), Is.EqualTo(identity.IdentityHex));
        Assert.That(lease.RootElement.GetProperty("ttl_seconds").GetDouble(), Is.GreaterThan(0));

        var topology = await Server.WaitForTopologyAsync(1);
        var node = topology.Find(identity.IdentityKey.Span);
        Assert.That(node, Is.Not.Null);
        Assert.That(node!.Layer, Is.EqualTo(2));
        Assert.That(node.MixEndpoint, Is.EqualTo("127.0.0.1:31789"));
        Assert.That(node.Version, Is.EqualTo("2.3.4"));
        Assert.That(node.Location, Is.EqualTo("Berlin, DE"));
        Assert.That(node.SphinxKey.ToArray(), Is.EqualTo(identity.SphinxKey.ToArray()));

        var heartbeat = await CliRun.RunAsync("node", "heartbeat", "--identity", _identityPath, "--lease", token, "--directory", _address);
        Assert.That(heartbeat.ExitCode, Is.EqualTo(ExitCodes.Success), heartbeat.ToString());
        Assert.That(heartbeat.Output, Does.Match(@"ttl\s+\d"));

        // The lease token also comes from the environment, and a wrong one is refused.
        var wrongLease = await CliRun.RunAsync(
            new Dictionary<string, string> { ["MIXDIR_LEASE_TOKEN"] = new string('0', 64) }, "node", "heartbeat", "--identity", _identityPath, "--directory", _address);
        Assert.That(wrongLease.ExitCode, Is.EqualTo(ExitCodes.NotAuthorized), wrongLease.ToString());
        Assert.That(wrongLease.Error, Does.Contain("refused"));

        var deregister = await CliRun.RunAsync(
            new Dictionary<string, string> { ["MIXDIR_LEASE_TOKEN"] = token }, "node", "deregister", "--identity", _identityPath, "--directory", _address);
        Assert.That(deregister.ExitCode, Is.EqualTo(ExitCodes.Success), deregister.ToString());
        Assert.That(deregister.Output.Trim(), Is.EqualTo($"deregistered {KeyFingerprint.Abbreviate(identity.IdentityKey.Span)}"));
        await Server.WaitForTopologyAsync(0);
    }

    [Test]
    public async Task Register_Gateway_TableShowsLeaseAndTtl()
    {
        var run = await CliRun.RunAsync(
            "--directory", _address, "node", "register", "-i", _identityPath, "--role", "gateway", "--host", "gw.example.org",
            "--mix-port", "1789", "--client-port", "9000", "--node-version", "1.0.0");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
        Assert.That(run.Output, Does.Match(@"lease token\s+[0-9a-f]{64}"));
        Assert.That(run.Output, Does.Match(@"ttl\s+\d"));
        var topology = await Server.WaitForTopologyAsync(1);
        Assert.That(topology.Gateways.Single().ClientPort, Is.EqualTo(9000));
    }

    [Test]
    public async Task DescriptorSign_JsonIsWhatTheRestRegisterRouteAccepts()
    {
        using var identity = NodeIdentity.Load(_identityPath);

        var sign = await CliRun.RunAsync("descriptor", "sign", "--identity", _identityPath, "--layer", "3", "--host", "127.0.0.1", "--mix-port", "32789", "--node-version", "1.0.0");

        Assert.That(sign.ExitCode, Is.EqualTo(ExitCodes.Success), sign.ToString());
        using var http = new HttpClient { BaseAddress = Server.WebAddress };
        using var body = new StringContent(sign.Output, Encoding.UTF8);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri("/v1/nodes:register", UriKind.Relative), body).Within();
        var text = await response.Content.ReadAsStringAsync().Within();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), text);
        using var lease = JsonDocument.Parse(text);
        Assert.That(lease.RootElement.GetProperty("leaseToken").GetString(), Is.Not.Empty);

        var topology = await Server.WaitForTopologyAsync(1);
        Assert.That(topology.Find(identity.IdentityKey.Span)?.Layer, Is.EqualTo(3));
    }

    [Test]
    public async Task Register_BadIdentityFile_ExitsOne()
    {
        await File.WriteAllTextAsync(_identityPath, "{\"format\": \"something else\"}");

        var run = await CliRun.RunAsync("node", "register", "-i", _identityPath, "--host", "127.0.0.1", "--mix-port", "1789", "--node-version", "1.0.0", "--directory", _address);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
        Assert.That(run.Error, Does.Contain("--identity"));
        Assert.That(run.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace");
    }
}
