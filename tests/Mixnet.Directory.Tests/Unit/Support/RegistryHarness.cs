using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
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
using Mixnet.Directory.V1;

using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.Unit.Support;

/// <summary>A registry on a fake clock, plus the nodes a test made (disposed with it).</summary>
internal sealed class RegistryHarness : IDisposable
{
    private readonly List<TestNode> _nodes = [];

    public RegistryHarness(Action<DirectoryOptions>? configure = null)
    {
        // MaxNodesPerHost off, as in Development: unit tests put many nodes on 127.0.0.1.
        Options = new DirectoryOptions { DataPath = Path.Combine(Path.GetTempPath(), "mixdir-unit-" + Guid.NewGuid().ToString("N")), MaxNodesPerHost = 0 };
        configure?.Invoke(Options);
        Time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Bans = new BanList(options);
        Leases = new Leases(options, Time, Bans);
        Membership = new Membership(Time);
        Registry = new NodeRegistry(options, Leases, Membership, Bans, Time, NullLogger<NodeRegistry>.Instance);
    }

    public DirectoryOptions Options { get; }

    public FakeTimeProvider Time { get; }

    public NodeRegistry Registry { get; }

    public BanList Bans { get; }

    public Leases Leases { get; }

    public Membership Membership { get; }

    /// <summary>A heartbeat, ignoring the retry-after of a refusal.</summary>
    public HeartbeatOutcome Heartbeat(ReadOnlySpan<byte> identityKey, ReadOnlySpan<byte> leaseToken) =>
        Leases.Heartbeat(identityKey, leaseToken, out _);

    public DateTimeOffset Now => Time.GetUtcNow();

    public TestNode Mixnode(uint layer = 1, string host = "127.0.0.1", uint? mixPort = null) => Track(TestNode.Mixnode(layer, host, mixPort));

    public TestNode Gateway(string host = "127.0.0.1", uint? mixPort = null) => Track(TestNode.Gateway(host, mixPort));

    /// <summary>Registers the node with a descriptor signed now (or at <paramref name="signedAt"/>).</summary>
    public RegistrationResult Register(TestNode node, DateTimeOffset? signedAt = null, Action<NodeDescriptor>? edit = null)
    {
        var signed = node.Sign(signedAt ?? Now, edit);
        return Registry.Register(signed.Descriptor, signed.Signature);
    }

    public DirectoryException RegisterRefused(TestNode node, DateTimeOffset? signedAt = null, Action<NodeDescriptor>? edit = null) =>
        Assert.Throws<DirectoryException>(() => Register(node, signedAt, edit))!;

    public void Dispose()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }

        if (System.IO.Directory.Exists(Options.DataPath))
        {
            System.IO.Directory.Delete(Options.DataPath, recursive: true);
        }
    }

    private TestNode Track(TestNode node)
    {
        _nodes.Add(node);
        return node;
    }
}
