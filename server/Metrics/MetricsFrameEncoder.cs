using System.Buffers;
using Mixnet.Directory.Server.Domain;

namespace Mixnet.Directory.Server.Metrics;

/// <summary>
/// Writes a frame as a <c>StreamMetricsResponse</c> straight from the frame's arrays: no
/// per-node message or key objects, one pass, one buffer. The wire format is the generated
/// message's (tests parse it with the generated parser).
/// </summary>
internal static class MetricsFrameEncoder
{
    // Field tags of StreamMetricsResponse and NodeMetrics (field number << 3 | wire type).
    private const byte WindowEndTag = 0x0A;      // 1, message
    private const byte WindowTag = 0x12;         // 2, message
    private const byte NodesTag = 0x1A;          // 3, message
    private const byte NetworkSentTag = 0x20;    // 4, varint
    private const byte NetworkReceivedTag = 0x28; // 5, varint
    private const byte LiveNodesTag = 0x30;      // 6, varint
    private const byte KeyTag = 0x0A;            // NodeMetrics 1, bytes
    private const byte SentTag = 0x10;           // NodeMetrics 2, varint
    private const byte ReceivedTag = 0x18;       // NodeMetrics 3, varint

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
        i += WriteVarintField(span[i..], 0x08, (ulong)seconds);
        i += WriteVarintField(span[i..], 0x10, (ulong)nanos);
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
