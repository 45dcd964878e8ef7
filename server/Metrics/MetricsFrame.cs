using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Metrics;

/// <summary>
/// One closed metrics window. Immutable; its unfiltered wire form is serialized once, on first
/// use, and the same bytes go to every unfiltered subscriber.
/// </summary>
internal sealed class MetricsFrame
{

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

    /// <summary>
    /// The serialized frame with every node and no <c>dropped_frames</c> (that is appended per
    /// subscriber). Made once, when the window closes, before any subscriber sees the frame.
    /// </summary>
    public byte[] UnfilteredBytes { get; private set; } = [];

    /// <summary>About how much memory the frame holds: its node array and its serialized form.</summary>
    public long RetainedBytes => UnfilteredBytes.Length + ((long)Nodes.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<NodeTraffic>());

    /// <summary>Serializes the unfiltered form; called once by the hub before the frame is offered.</summary>
    public MetricsFrame Seal()
    {
        UnfilteredBytes = MetricsFrameEncoder.Encode(this, null);
        return this;
    }

    /// <summary>The frame with only the nodes in <paramref name="filter"/>, serialized for one subscriber.</summary>
    public byte[] Encode(IReadOnlySet<NodeId> filter) => MetricsFrameEncoder.Encode(this, filter);

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
