using Google.Protobuf;
using Mixnet.Directory.Client;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Tools;

/// <summary>Helpers for tool tests: register raw nodes, and wait until the published topology shows them.</summary>
public static class ToolsTestServer
{
    public static Task<TestNode> RegisterAsync(this DirectoryServerHost host, V1.NodeRole role = V1.NodeRole.Mixnode, uint layer = 1) =>
        host.RegisterAsync(new TestNode(role, layer));

    public static async Task<TestNode> RegisterAsync(this DirectoryServerHost host, TestNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var response = await new RawClients(host.Channel).Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();
        node.LeaseToken = response.LeaseToken;
        return node;
    }

    public static async Task DeregisterAsync(this DirectoryServerHost host, TestNode node) =>
        await new RawClients(host.Channel).Registry.DeregisterNodeAsync(new DeregisterNodeRequest { IdentityKey = node.IdentityKey, LeaseToken = node.LeaseToken }).ResponseAsync.Within();

    /// <summary>Completes when the directory publishes a topology of exactly <paramref name="count"/> nodes (topology changes are batched).</summary>
    public static async Task<Topology> WaitForTopologyAsync(this DirectoryServerHost host, int count, TimeSpan? timeout = null)
    {
        using var cts = TaskTimeouts.Cancel(timeout);
        await using var client = new DirectoryClient(host.GrpcAddress);
        await foreach (var update in client.WatchTopologyAsync(cts.Token))
        {
            if (update.Topology.Count == count)
            {
                return update.Topology;
            }
        }

        throw new InvalidOperationException("the topology watch ended");
    }

    public static string Hex(this ByteString key) => Convert.ToHexStringLower(key.Span);
}
