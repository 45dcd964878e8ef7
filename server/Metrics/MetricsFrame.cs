using System.Buffers;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Metrics;

/// <summary>
/// One closed metrics window. Immutable once sealed; its unfiltered wire form is serialized
/// once, and the same bytes go to every unfiltered subscriber. A frame made by the hub borrows
/// its arrays from the hub's <see cref="FrameBufferPool"/> and is reference counted: the replay
/// and every subscriber queue holding it own one reference each, and the arrays go back to the
/// pool when the last is released.
/// </summary>
internal sealed class MetricsFrame
{
    private readonly FrameBufferPool? _pool;
    private NodeTraffic[] _nodes;
    private int _nodeCount;
    private byte[] _bytes = [];
    private int _length;
    private int _references = 1;

    public MetricsFrame(DateTimeOffset windowEnd, TimeSpan window, NodeTraffic[] nodes, ulong networkSent, ulong networkReceived, uint liveNodes)
        : this(windowEnd, window, nodes, nodes.Length, networkSent, networkReceived, liveNodes, null)
    {
    }

    /// <summary>
    /// A frame whose nodes are the first <paramref name="nodeCount"/> entries of <paramref name="nodes"/>
    /// (ordered by identity), returned to <paramref name="pool"/> with its bytes when the last reference is released.
    /// </summary>
    internal MetricsFrame(DateTimeOffset windowEnd, TimeSpan window, NodeTraffic[] nodes, int nodeCount, ulong networkSent, ulong networkReceived, uint liveNodes, FrameBufferPool? pool)
    {
        WindowEnd = windowEnd;
        Window = window;
        _nodes = nodes;
        _nodeCount = nodeCount;
        NetworkSent = networkSent;
        NetworkReceived = networkReceived;
        LiveNodes = liveNodes;
        _pool = pool;
    }

    public DateTimeOffset WindowEnd { get; }

    public TimeSpan Window { get; }

    /// <summary>Every node that reported in the window, ordered by identity.</summary>
    public ArraySegment<NodeTraffic> Nodes => new(_nodes, 0, _nodeCount);

    public ulong NetworkSent { get; }

    public ulong NetworkReceived { get; }

    public uint LiveNodes { get; }

    /// <summary>
    /// The serialized frame with every node and no <c>dropped_frames</c> (that is appended per
    /// subscriber). Made once, when the window closes, before any subscriber sees the frame.
    /// Valid while the caller holds a reference.
    /// </summary>
    public ReadOnlyMemory<byte> Unfiltered => _bytes.AsMemory(0, _length);

    /// <summary>A copy of <see cref="Unfiltered"/>, for tests and diagnostics.</summary>
    public byte[] UnfilteredBytes => Unfiltered.ToArray();

    /// <summary>About how much memory the frame holds: its nodes and its serialized form (fixed when sealed).</summary>
    public long RetainedBytes { get; private set; }

    /// <summary>Serializes the unfiltered form into an array of its own; for a frame made outside the hub.</summary>
    public MetricsFrame Seal()
    {
        _bytes = MetricsFrameEncoder.Encode(this, null);
        _length = _bytes.Length;
        RetainedBytes = _length + ((long)_nodeCount * System.Runtime.CompilerServices.Unsafe.SizeOf<NodeTraffic>());
        return this;
    }

    /// <summary>Serializes the unfiltered form through <paramref name="scratch"/> into an array from the pool.</summary>
    public MetricsFrame Seal(ArrayBufferWriter<byte> scratch)
    {
        if (_pool is null)
        {
            return Seal();
        }

        scratch.ResetWrittenCount();
        MetricsFrameEncoder.Write(this, null, scratch);
        _length = scratch.WrittenCount;
        _bytes = _pool.RentBytes(_length);
        scratch.WrittenSpan.CopyTo(_bytes);
        RetainedBytes = _length + ((long)_nodeCount * System.Runtime.CompilerServices.Unsafe.SizeOf<NodeTraffic>());
        return this;
    }

    /// <summary>
    /// The frame without its nodes: the same window and network-wide totals, in a small frame of
    /// its own (no pool). What the replay keeps of a window older than its detail horizon.
    /// </summary>
    public MetricsFrame TotalsOnly() =>
        new MetricsFrame(WindowEnd, Window, [], 0, NetworkSent, NetworkReceived, LiveNodes, null).Seal();

    /// <summary>One more holder (a subscriber queue); each must call <see cref="Release"/> once.</summary>
    public void AddReference() => Interlocked.Increment(ref _references);

    /// <summary>Gives up one reference; the last returns the arrays to the pool.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0 && _pool is { } pool)
        {
            var nodes = _nodes;
            var bytes = _bytes;
            _nodes = [];
            _nodeCount = 0;
            _bytes = [];
            _length = 0;
            pool.Return(nodes);
            pool.Return(bytes);
        }
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
