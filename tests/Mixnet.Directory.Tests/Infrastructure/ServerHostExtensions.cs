using Mixnet.Directory.Tests.Infrastructure;
using Google.Protobuf;
using Mixnet.Directory.Client;
using Microsoft.Extensions.DependencyInjection;
using Mixnet.Directory.Server.Metrics;
using Mixnet.Directory.Server.Topology;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Infrastructure;

/// <summary>
/// What tests do to a running directory, written once: register, report, deregister, and await the
/// server reaching a state (subscribers, watchers, a topology) instead of sleeping.
/// </summary>
public static class ServerHostExtensions
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

    /// <summary>Reports packet counts for a registered node (the hops and counts it sent to).</summary>
    public static async Task ReportAsync(this DirectoryServerHost host, TestNode node, ulong received, params (string Hop, ulong Count)[] sent)
    {
        ArgumentNullException.ThrowIfNull(node);
        var request = new ReportMetricsRequest { IdentityKey = node.IdentityKey, LeaseToken = node.LeaseToken, Received = received };
        foreach (var (hop, count) in sent)
        {
            request.Sent.Add(hop, count);
        }

        await new RawClients(host.Channel).Metrics.ReportMetricsAsync(request).ResponseAsync.Within();
    }

    /// <summary>Completes once the server holds exactly <paramref name="count"/> metrics subscribers.</summary>
    public static Task WaitForSubscribersAsync(this DirectoryServerHost host, int count)
    {
        var hub = host.Services.GetRequiredService<MetricsHub>();
        return WaitUntilAsync(() => hub.SubscriberCount == count, h => hub.SubscribersChanged += h, h => hub.SubscribersChanged -= h);
    }

    /// <summary>Completes once the server holds exactly <paramref name="count"/> topology watchers.</summary>
    public static Task WaitForWatchersAsync(this DirectoryServerHost host, int count)
    {
        var publisher = host.Services.GetRequiredService<TopologyPublisher>();
        return WaitUntilAsync(() => publisher.WatcherCount == count, h => publisher.WatchersChanged += h, h => publisher.WatchersChanged -= h);
    }

    // Streams are counted when a call reaches the server, so await the change event rather than poll.
    private static async Task WaitUntilAsync(Func<bool> reached, Action<Action> subscribe, Action<Action> unsubscribe)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (reached())
            {
                done.TrySetResult();
            }
        }

        subscribe(Check);
        try
        {
            Check();
            await done.Task.Within();
        }
        finally
        {
            unsubscribe(Check);
        }
    }

    public static string Hex(this ByteString key) => Convert.ToHexStringLower(key.Span);
}
