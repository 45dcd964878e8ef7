using Grpc.Core;
using Mixnet.Directory.Client;

namespace Mixnet.Directory.Cli.Metrics;

/// <summary>Names metrics rows by the topology (role, layer, address); refetches it when an unknown node shows up, at most every few seconds.</summary>
public sealed class NodeNames(DirectoryClient client, TimeProvider time)
{
    private static readonly TimeSpan MinRefresh = TimeSpan.FromSeconds(5);
    private Topology? _topology;
    private DateTimeOffset _fetched = DateTimeOffset.MinValue;

    /// <summary>The node, or null when the topology does not list it (left, or not fetched yet).</summary>
    public NodeInfo? Find(ReadOnlyMemory<byte> identityKey) => _topology?.Find(identityKey.Span);

    /// <summary>Refetches the topology when one of <paramref name="keys"/> is unknown and the last fetch is old enough.</summary>
    public async Task RefreshAsync(IEnumerable<ReadOnlyMemory<byte>> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var now = time.GetUtcNow();
        if (now - _fetched < MinRefresh || (_topology is not null && keys.All(k => Find(k) is not null)))
        {
            return;
        }

        _fetched = now;
        try
        {
            _topology = await client.GetTopologyAsync(cancellationToken);
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            // Names are a nicety; keep the old ones while the directory is away.
        }
    }
}
