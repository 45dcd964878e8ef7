using Grpc.Core;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Abuse;

/// <summary>Directory:RequireHostMatchesCaller and Directory:TrustedProxies over a real Kestrel (callers are 127.0.0.1).</summary>
public sealed class HostMatchesCallerTests
{
    private static readonly Dictionary<string, string?> Strict = new() { ["Directory:RequireHostMatchesCaller"] = "true" };

    [TestCase("127.0.0.1")]
    [TestCase("::ffff:127.0.0.1")]
    [TestCase("localhost")]
    public async Task RegisterNode_HostIsTheCaller_Ok(string host)
    {
        await using var server = await DirectoryServerHost.StartAsync(Strict);
        using var node = new TestNode(host: host);

        var response = await new RawClients(server.Channel).Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();

        Assert.That(response.LeaseToken.Length, Is.EqualTo(32));
        server.DeleteData();
    }

    [TestCase("10.0.0.1")]
    [TestCase("127.0.0.2")]
    [TestCase("2001:db8::1")]
    public async Task RegisterNode_HostIsSomeoneElse_PermissionDeniedNothingChanged(string host)
    {
        await using var server = await DirectoryServerHost.StartAsync(Strict);
        var clients = new RawClients(server.Channel);
        using var node = new TestNode(host: host);

        var ex = Assert.ThrowsAsync<RpcException>(() => clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within());

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(ex.Status.Detail, Does.StartWith("descriptor.host"));
        var topology = await clients.Topology.GetTopologyAsync(new GetTopologyRequest()).ResponseAsync.Within();
        Assert.That(TopologySnapshot.Parser.ParseFrom(topology.Topology.Topology).Mixnodes, Is.Empty);
        server.DeleteData();
    }

    [Test]
    public async Task RegisterNode_TrustedProxyForwardsCaller_HostMatchedAgainstForwardedAddress()
    {
        var settings = new Dictionary<string, string?>(Strict) { ["Directory:TrustedProxies:0"] = "127.0.0.0/8" };
        await using var server = await DirectoryServerHost.StartAsync(settings);
        var clients = new RawClients(server.Channel);
        using var node = new TestNode(host: "198.51.100.7");
        using var other = new TestNode(host: "198.51.100.8");

        // The rightmost untrusted address counts: a client-supplied leftmost entry does not.
        var forwarded = new Metadata { { "x-forwarded-for", "198.51.100.8, 198.51.100.7" } };
        var response = await clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow), forwarded).ResponseAsync.Within();
        var ex = Assert.ThrowsAsync<RpcException>(() => clients.Registry.RegisterNodeAsync(other.RegisterRequest(DateTimeOffset.UtcNow), forwarded).ResponseAsync.Within());

        Assert.That(response.LeaseToken.Length, Is.EqualTo(32));
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        server.DeleteData();
    }

    [Test]
    public async Task RegisterNode_UntrustedForwardedFor_Ignored()
    {
        await using var server = await DirectoryServerHost.StartAsync(Strict);
        using var node = new TestNode(host: "198.51.100.7");
        var forwarded = new Metadata { { "x-forwarded-for", "198.51.100.7" } };

        var ex = Assert.ThrowsAsync<RpcException>(() => new RawClients(server.Channel).Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow), forwarded).ResponseAsync.Within());

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        server.DeleteData();
    }

    [Test]
    public async Task RegisterNode_ProductionCaps_SecondCallerIdentityBeyondCapRefused()
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?> { ["Directory:MaxNodesPerHost"] = "2" });
        var clients = new RawClients(server.Channel);
        using var a = new TestNode(host: "10.0.0.1");
        using var b = new TestNode(host: "10.0.0.2");
        using var c = new TestNode(host: "10.0.0.3");
        await clients.Registry.RegisterNodeAsync(a.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();
        await clients.Registry.RegisterNodeAsync(b.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();

        var ex = Assert.ThrowsAsync<RpcException>(() => clients.Registry.RegisterNodeAsync(c.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within());

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted), "three hosts, one caller address");
        Assert.That(ex.Status.Detail, Does.StartWith("descriptor.host"));
        Assert.That(ex.Trailers.GetValue("retry-after"), Is.Not.Null);
        server.DeleteData();
    }
}
