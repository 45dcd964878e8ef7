namespace Mixnet.Directory.Server.Metrics;

/// <summary>
/// A frame on its way to one subscriber: shared serialized bytes plus that subscriber's
/// <c>dropped_frames</c>, appended as one more field (protobuf merges concatenated messages).
/// </summary>
internal sealed record EncodedFrame(ReadOnlyMemory<byte> Body, ulong DroppedFrames);
