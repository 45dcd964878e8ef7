using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Server.Domain;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Metrics;

/// <summary>
/// One closed metrics window. Immutable; its unfiltered wire form is serialized once, on first
/// use, and the same bytes go to every unfiltered subscriber.
/// </summary>
internal sealed class MetricsFrame
{
    private byte[]? _unfiltered;

    public MetricsFrame(DateTimeOffset windowEnd, TimeSpan window, NodeTraffic[] nodes, ulong networkSent, ulong networkReceived, uint liveNodes)
    {
        WindowEnd = windowEnd;
        Window = window;
        Nodes = nodes;
        NetworkSent = networkSent;
        NetworkReceived = networkReceived;
        LiveNodes = liveNodes;
    }

    public DateTimeOffset WindowEnd { get; }

    public TimeSpan Window { get; }

    /// <summary>Every node that reported in the window, ordered by identity.</summary>
    public NodeTraffic[] Nodes { get; }

    public ulong NetworkSent { get; }

    public ulong NetworkReceived { get; }

    public uint LiveNodes { get; }

    /// <summary>The serialized frame with every node and no <c>dropped_frames</c> (that is appended per subscriber).</summary>
    public byte[] UnfilteredBytes => LazyInitializer.EnsureInitialized(ref _unfiltered, () => ToMessage(null).ToByteArray());

    /// <summary>The frame as a message, with only the nodes in <paramref name="filter"/> when one is given.</summary>
    public StreamMetricsResponse ToMessage(IReadOnlySet<NodeId>? filter)
    {
        var message = new StreamMetricsResponse
        {
            WindowEnd = Timestamp.FromDateTimeOffset(WindowEnd),
            Window = Duration.FromTimeSpan(Window),
            NetworkSent = NetworkSent,
            NetworkReceived = NetworkReceived,
            LiveNodes = LiveNodes,
        };
        foreach (var node in Nodes)
        {
            if (filter is null || filter.Contains(node.Id))
            {
                message.Nodes.Add(new NodeMetrics { IdentityKey = node.Id.ToByteString(), Sent = node.Sent, Received = node.Received });
            }
        }

        return message;
    }
}
