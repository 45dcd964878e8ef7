using System.Buffers;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Metrics;

/// <summary>
/// Writes a frame as a <c>StreamMetricsResponse</c> straight from the frame's arrays: no
/// per-node message or key objects, one pass, one buffer. The wire format is the generated
/// message's (tests parse it with the generated parser). This is the one place that knows the
/// layout of <c>StreamMetricsResponse</c>, the per-subscriber trailer included.
/// </summary>
internal static class MetricsFrameEncoder
{
    // Field tags (field number << 3 | wire type) from the generated field numbers, so a renumbered
    // field cannot leave this writer behind. Every field number is below 16: one tag byte each.
    private const byte Varint = 0;
    private const byte LengthDelimited = 2;
    private const byte WindowEndTag = (StreamMetricsResponse.WindowEndFieldNumber << 3) | LengthDelimited;
    private const byte WindowTag = (StreamMetricsResponse.WindowFieldNumber << 3) | LengthDelimited;
    private const byte NodesTag = (StreamMetricsResponse.NodesFieldNumber << 3) | LengthDelimited;
    private const byte NetworkSentTag = (StreamMetricsResponse.NetworkSentFieldNumber << 3) | Varint;
    private const byte NetworkReceivedTag = (StreamMetricsResponse.NetworkReceivedFieldNumber << 3) | Varint;
    private const byte LiveNodesTag = (StreamMetricsResponse.LiveNodesFieldNumber << 3) | Varint;
    private const byte DroppedFramesTag = (StreamMetricsResponse.DroppedFramesFieldNumber << 3) | Varint;
    private const byte KeyTag = (NodeMetrics.IdentityKeyFieldNumber << 3) | LengthDelimited;
    private const byte SentTag = (NodeMetrics.SentFieldNumber << 3) | Varint;
    private const byte ReceivedTag = (NodeMetrics.ReceivedFieldNumber << 3) | Varint;
    private const byte SecondsTag = (Timestamp.SecondsFieldNumber << 3) | Varint;
    private const byte NanosTag = (Timestamp.NanosFieldNumber << 3) | Varint;

    /// <summary>Bytes <see cref="WriteSubscriberTrailer"/> appends for <paramref name="droppedFrames"/>.</summary>
    public static int SubscriberTrailerLength(ulong droppedFrames) => VarintField(droppedFrames);

    /// <summary>
    /// Appends a subscriber's own <c>dropped_frames</c> to the shared frame bytes: a field appended
    /// to a serialized message is the same message with that field set.
    /// </summary>
    public static void WriteSubscriberTrailer(IBufferWriter<byte> writer, ulong droppedFrames)
    {
        if (droppedFrames != 0)
        {
            writer.Advance(WriteVarintField(writer.GetSpan(11), DroppedFramesTag, droppedFrames));
        }
    }

    public static byte[] Encode(MetricsFrame frame, IReadOnlySet<NodeId>? filter)
    {
        var writer = new ArrayBufferWriter<byte>(64 + (frame.Nodes.Count * 48));
        Write(frame, filter, writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Appends the frame's serialized form to <paramref name="writer"/>.</summary>
    public static void Write(MetricsFrame frame, IReadOnlySet<NodeId>? filter, IBufferWriter<byte> writer)
    {
        var seconds = frame.WindowEnd.ToUnixTimeSeconds();
        var nanos = (int)(frame.WindowEnd.UtcTicks % TimeSpan.TicksPerSecond * 100);
        WriteTimestampLike(writer, WindowEndTag, seconds, nanos);
        WriteTimestampLike(writer, WindowTag, (long)frame.Window.TotalSeconds, (int)(frame.Window.Ticks % TimeSpan.TicksPerSecond * 100));
        foreach (var node in frame.Nodes)
        {
            if (filter is not null && !filter.Contains(node.Id))
            {
                continue;
            }

            var length = 2 + 32 + VarintField(node.Sent) + VarintField(node.Received);
            var span = writer.GetSpan(2 + length);
            var i = 0;
            span[i++] = NodesTag;
            span[i++] = (byte)length; // < 128 always: 34 + two varints of at most 11 bytes each
            span[i++] = KeyTag;
            span[i++] = 32;
            node.Id.CopyTo(span.Slice(i, 32));
            i += 32;
            i += WriteVarintField(span[i..], SentTag, node.Sent);
            i += WriteVarintField(span[i..], ReceivedTag, node.Received);
            writer.Advance(i);
        }

        WriteVarintField(writer, NetworkSentTag, frame.NetworkSent);
        WriteVarintField(writer, NetworkReceivedTag, frame.NetworkReceived);
        WriteVarintField(writer, LiveNodesTag, frame.LiveNodes);
    }

    /// <summary>Timestamp and Duration share their layout: seconds (1, varint), nanos (2, varint).</summary>
    private static void WriteTimestampLike(IBufferWriter<byte> writer, byte tag, long seconds, int nanos)
    {
        var length = VarintField((ulong)seconds) + VarintField((ulong)nanos);
        var span = writer.GetSpan(2 + length);
        span[0] = tag;
        span[1] = (byte)length;
        var i = 2;
        i += WriteVarintField(span[i..], SecondsTag, (ulong)seconds);
        i += WriteVarintField(span[i..], NanosTag, (ulong)nanos);
        writer.Advance(i);
    }

    private static void WriteVarintField(IBufferWriter<byte> writer, byte tag, ulong value)
    {
        var span = writer.GetSpan(11);
        writer.Advance(WriteVarintField(span, tag, value));
    }

    /// <summary>Proto3 leaves zero scalars out, as the generated code does.</summary>
    private static int VarintField(ulong value) => value == 0 ? 0 : 1 + VarintSize(value);

    private static int WriteVarintField(Span<byte> span, byte tag, ulong value)
    {
        if (value == 0)
        {
            return 0;
        }

        span[0] = tag;
        var i = 1;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        return i;
    }

    private static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }
}
