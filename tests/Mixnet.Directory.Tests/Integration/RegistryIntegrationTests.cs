using Google.Protobuf;
using Grpc.Core;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Integration;

/// <summary>RegistryService and PresenceService over a real Kestrel, through the generated clients.</summary>
[TestFixture]
public sealed class RegistryIntegrationTests : DirectoryFixture
{

    [SetUp]
    public async Task SetUp()
    {
        await StartDirectoryAsync();
    }

    [Test]
    public async Task RegisterNode_ValidDescriptor_NodeIsFoundWithItsDescriptor()
    {
        using var node = new TestNode(NodeRole.Mixnode, layer: 2);
        var response = await Clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();

        Assert.That(response.LeaseToken.Length, Is.EqualTo(32));
        Assert.That(response.Ttl.ToTimeSpan(), Is.EqualTo(TimeSpan.FromSeconds(20)));
        Assert.That(response.HeartbeatInterval.ToTimeSpan(), Is.EqualTo(TimeSpan.FromSeconds(5)));
        var found = await Clients.Registry.GetNodeAsync(new GetNodeRequest { IdentityKey = node.IdentityKey }).ResponseAsync.Within();
        Assert.That(found.Descriptor_.IdentityKey, Is.EqualTo(node.IdentityKey));
        Assert.That(found.Descriptor_.Layer, Is.EqualTo(2u));
        Assert.That(found.Descriptor_.SphinxKey, Is.EqualTo(node.Descriptor.SphinxKey));
        Assert.That(found.LastSeen.ToDateTimeOffset(), Is.GreaterThanOrEqualTo(found.RegisteredAt.ToDateTimeOffset()));
    }

    [Test]
    public async Task Heartbeat_WithLease_RenewsAndReportsTopologyVersion()
    {
        using var node = new TestNode();
        var registered = await Clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();
        node.LeaseToken = registered.LeaseToken;

        var beat = await Clients.Presence.HeartbeatAsync(node.HeartbeatRequest()).ResponseAsync.Within();

        Assert.That(beat.Ttl.ToTimeSpan(), Is.EqualTo(TimeSpan.FromSeconds(20)));
        Assert.That(beat.TopologyVersion, Is.EqualTo(registered.TopologyVersion), "a heartbeat never changes the version");
    }

    [Test]
    public async Task Heartbeat_WrongToken_UnauthenticatedAndRealLeaseStillWorks()
    {
        using var node = new TestNode();
        var registered = await Clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();
        var wrong = new byte[32];
        Random.Shared.NextBytes(wrong);
        node.LeaseToken = ByteString.CopyFrom(wrong);

        var ex = Assert.ThrowsAsync<RpcException>(() => Clients.Presence.HeartbeatAsync(node.HeartbeatRequest()).ResponseAsync.Within());
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
        Assert.That(ex.Status.Detail, Does.Contain("lease_token"));

        node.LeaseToken = registered.LeaseToken;
        Assert.That((await Clients.Presence.HeartbeatAsync(node.HeartbeatRequest()).ResponseAsync.Within()).Ttl, Is.Not.Null);
    }

    [Test]
    public void Heartbeat_UnknownIdentity_NotFound()
    {
        using var node = new TestNode();
        node.LeaseToken = ByteString.CopyFrom(new byte[32]);
        var ex = Assert.ThrowsAsync<RpcException>(() => Clients.Presence.HeartbeatAsync(node.HeartbeatRequest()).ResponseAsync.Within());
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.NotFound));
    }

    [TestCase(31, 32, "identity_key")]
    [TestCase(32, 0, "lease_token")]
    [TestCase(0, 32, "identity_key")]
    public void Heartbeat_MalformedField_InvalidArgumentNamingIt(int keyLength, int tokenLength, string field)
    {
        var ex = Assert.ThrowsAsync<RpcException>(() => Clients.Presence.HeartbeatAsync(new HeartbeatRequest
        {
            IdentityKey = ByteString.CopyFrom(new byte[keyLength]),
            LeaseToken = ByteString.CopyFrom(new byte[tokenLength]),
        }).ResponseAsync.Within());
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Does.StartWith(field));
    }

    [Test]
    public async Task DeregisterNode_WithLease_NodeLeavesAtOnce()
    {
        using var node = new TestNode();
        var registered = await Clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();

        await Clients.Registry.DeregisterNodeAsync(new DeregisterNodeRequest { IdentityKey = node.IdentityKey, LeaseToken = registered.LeaseToken }).ResponseAsync.Within();

        var ex = Assert.ThrowsAsync<RpcException>(() => Clients.Registry.GetNodeAsync(new GetNodeRequest { IdentityKey = node.IdentityKey }).ResponseAsync.Within());
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.NotFound));
        node.LeaseToken = registered.LeaseToken;
        var beat = Assert.ThrowsAsync<RpcException>(() => Clients.Presence.HeartbeatAsync(node.HeartbeatRequest()).ResponseAsync.Within());
        Assert.That(beat!.StatusCode, Is.EqualTo(StatusCode.NotFound));
    }

    [Test]
    public async Task DeregisterNode_WrongToken_UnauthenticatedAndNodeStays()
    {
        using var node = new TestNode();
        await Clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();

        var ex = Assert.ThrowsAsync<RpcException>(() => Clients.Registry.DeregisterNodeAsync(new DeregisterNodeRequest
        {
            IdentityKey = node.IdentityKey,
            LeaseToken = ByteString.CopyFrom(new byte[32]),
        }).ResponseAsync.Within());

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
        Assert.That((await Clients.Registry.GetNodeAsync(new GetNodeRequest { IdentityKey = node.IdentityKey }).ResponseAsync.Within()).Descriptor_, Is.Not.Null);
    }

    [Test]
    public async Task RegisterNode_SignatureByAnotherKey_UnauthenticatedAndNothingStored()
    {
        using var node = new TestNode();
        using var other = new TestNode();

        var ex = Assert.ThrowsAsync<RpcException>(() => Clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow, signWith: other.Key)).ResponseAsync.Within());

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
        Assert.That(ex.Status.Detail, Does.StartWith("signature"));
        await AssertNotRegistered(node);
    }

    [Test]
    public async Task RegisterNode_TamperedDescriptor_Unauthenticated()
    {
        using var node = new TestNode();
        var request = node.RegisterRequest(DateTimeOffset.UtcNow);
        var tampered = NodeDescriptor.Parser.ParseFrom(request.Descriptor_);
        tampered.Host = "10.9.9.9";
        request.Descriptor_ = tampered.ToByteString();

        var ex = Assert.ThrowsAsync<RpcException>(() => Clients.Registry.RegisterNodeAsync(request).ResponseAsync.Within());

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
        await AssertNotRegistered(node);
    }

    [Test]
    public async Task RegisterNode_SignedAtTooOld_FailedPrecondition()
    {
        using var node = new TestNode();
        var ex = Assert.ThrowsAsync<RpcException>(() => Clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow.AddMinutes(-6))).ResponseAsync.Within());
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition));
        Assert.That(ex.Status.Detail, Does.StartWith("descriptor.signed_at"));
        await AssertNotRegistered(node);
    }

    [Test]
    public async Task RegisterNode_Replay_FailedPreconditionAndLeaseKept()
    {
        using var node = new TestNode();
        var request = node.RegisterRequest(DateTimeOffset.UtcNow);
        var first = await Clients.Registry.RegisterNodeAsync(request).ResponseAsync.Within();

        var ex = Assert.ThrowsAsync<RpcException>(() => Clients.Registry.RegisterNodeAsync(request).ResponseAsync.Within());

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition));
        node.LeaseToken = first.LeaseToken;
        Assert.That((await Clients.Presence.HeartbeatAsync(node.HeartbeatRequest()).ResponseAsync.Within()).Ttl, Is.Not.Null, "the replay did not replace the lease");
    }

    [Test]
    public async Task RegisterNode_AgainWithNewerDescriptor_ReplacesLease()
    {
        using var node = new TestNode();
        var first = await Clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow.AddSeconds(-1))).ResponseAsync.Within();
        var second = await Clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow, d => d.Host = "node.example.org")).ResponseAsync.Within();

        Assert.That(second.LeaseToken, Is.Not.EqualTo(first.LeaseToken));
        Assert.That(second.TopologyVersion, Is.GreaterThan(first.TopologyVersion));
        node.LeaseToken = first.LeaseToken;
        var ex = Assert.ThrowsAsync<RpcException>(() => Clients.Presence.HeartbeatAsync(node.HeartbeatRequest()).ResponseAsync.Within());
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated), "the old token stops working");
        var found = await Clients.Registry.GetNodeAsync(new GetNodeRequest { IdentityKey = node.IdentityKey }).ResponseAsync.Within();
        Assert.That(found.Descriptor_.Host, Is.EqualTo("node.example.org"));
    }

    [Test]
    public async Task RegisterNode_EndpointHeldByAnotherLiveNode_AlreadyExists()
    {
        using var holder = new TestNode(mixPort: 4444);
        using var intruder = new TestNode(mixPort: 4444);
        await Clients.Registry.RegisterNodeAsync(holder.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();

        var ex = Assert.ThrowsAsync<RpcException>(() => Clients.Registry.RegisterNodeAsync(intruder.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within());

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.AlreadyExists));
        Assert.That(ex.Status.Detail, Does.StartWith("descriptor.host"));
        await AssertNotRegistered(intruder);
    }

    [TestCase("layer", "descriptor.layer")]
    [TestCase("host", "descriptor.host")]
    [TestCase("mix_port", "descriptor.mix_port")]
    [TestCase("version", "descriptor.version")]
    [TestCase("location", "descriptor.location")]
    [TestCase("sphinx_key", "descriptor.sphinx_key")]
    [TestCase("role", "descriptor.role")]
    public async Task RegisterNode_FieldOutOfRange_InvalidArgumentNamingField(string broken, string field)
    {
        using var node = new TestNode();
        var request = node.RegisterRequest(DateTimeOffset.UtcNow, d =>
        {
            switch (broken)
            {
                case "layer": d.Layer = 4; break;
                case "host": d.Host = "not a host"; break;
                case "mix_port": d.MixPort = 70000; break;
                case "version": d.Version = "v1"; break;
                case "location": d.Location = "line\nbreak"; break;
                case "sphinx_key": d.SphinxKey = ByteString.CopyFrom(new byte[31]); break;
                case "role": d.Role = NodeRole.Unspecified; break;
            }
        });

        var ex = Assert.ThrowsAsync<RpcException>(() => Clients.Registry.RegisterNodeAsync(request).ResponseAsync.Within());

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Does.StartWith(field));
        await AssertNotRegistered(node);
    }

    [Test]
    public void RegisterNode_GarbageBytes_InvalidArgumentNamingDescriptor()
    {
        var ex = Assert.ThrowsAsync<RpcException>(() => Clients.Registry.RegisterNodeAsync(new RegisterNodeRequest
        {
            Descriptor_ = ByteString.CopyFrom(0xFF, 0xFF, 0xFF, 0xFF),
            Signature = ByteString.CopyFrom(new byte[64]),
        }).ResponseAsync.Within());
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Does.StartWith("descriptor"));
    }

    [Test]
    public async Task RegisterNode_FourMegabyteRequest_RefusedAndServerStaysUp()
    {
        var ex = Assert.ThrowsAsync<RpcException>(() => Clients.Registry.RegisterNodeAsync(new RegisterNodeRequest
        {
            Descriptor_ = ByteString.CopyFrom(new byte[4 * 1024 * 1024]),
            Signature = ByteString.CopyFrom(new byte[64]),
        }).ResponseAsync.Within());

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
        var info = await Clients.Topology.GetDirectoryInfoAsync(new GetDirectoryInfoRequest()).ResponseAsync.Within();
        Assert.That(info.DirectoryKey.Length, Is.EqualTo(32));
    }

    [Test]
    public async Task RegisterNode_DirectoryFull_ResourceExhausted()
    {
        await using var small = await DirectoryServerHost.StartAsync(new Dictionary<string, string?> { ["Directory:MaxNodes"] = "2" });
        var clients = new RawClients(small.Channel);
        using var a = new TestNode();
        using var b = new TestNode();
        using var c = new TestNode();
        await clients.Registry.RegisterNodeAsync(a.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();
        await clients.Registry.RegisterNodeAsync(b.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();

        var ex = Assert.ThrowsAsync<RpcException>(() => clients.Registry.RegisterNodeAsync(c.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within());

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
        var again = await clients.Registry.RegisterNodeAsync(a.RegisterRequest(DateTimeOffset.UtcNow.AddSeconds(1))).ResponseAsync.Within();
        Assert.That(again.LeaseToken.Length, Is.EqualTo(32), "a registered node can still re-register at capacity");
        small.AssertNoUnexpectedErrors();
        small.DeleteData();
    }

    [Test]
    public async Task Logs_AfterRegistrationAndHeartbeats_NeverContainTheLeaseToken()
    {
        using var node = new TestNode();
        var registered = await Clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();
        node.LeaseToken = registered.LeaseToken;
        await Clients.Presence.HeartbeatAsync(node.HeartbeatRequest()).ResponseAsync.Within();
        await Clients.Registry.DeregisterNodeAsync(new DeregisterNodeRequest { IdentityKey = node.IdentityKey, LeaseToken = registered.LeaseToken }).ResponseAsync.Within();

        var token = registered.LeaseToken.ToByteArray();
        var forms = new[] { Convert.ToHexString(token), Convert.ToHexStringLower(token), Convert.ToBase64String(token), KeyFingerprint.Abbreviate(token) };
        var logs = Server.Logs.Entries.Select(e => e.ToString()).ToList();
        Assert.That(logs, Is.Not.Empty);
        foreach (var form in forms)
        {
            Assert.That(logs.Where(l => l.Contains(form, StringComparison.Ordinal)), Is.Empty, $"token form {form} leaked");
        }
    }

    private async Task AssertNotRegistered(TestNode node)
    {
        var ex = Assert.ThrowsAsync<RpcException>(() => Clients.Registry.GetNodeAsync(new GetNodeRequest { IdentityKey = node.IdentityKey }).ResponseAsync.Within());
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.NotFound));
        var topology = await Clients.Topology.GetTopologyAsync(new GetTopologyRequest()).ResponseAsync.Within();
        var snapshot = TopologySnapshot.Parser.ParseFrom(topology.Topology.Topology);
        Assert.That(snapshot.Mixnodes.Concat(snapshot.Gateways).Select(n => n.IdentityKey), Has.No.Member(node.IdentityKey));
    }
}
