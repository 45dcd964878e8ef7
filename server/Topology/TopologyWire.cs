using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Server.Quality;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Topology;

/// <summary>
/// Writes <see cref="TopologySnapshot"/> and <see cref="TopologyDelta"/> wire forms straight from
/// the descriptor bytes that records keep, so publishing never parses 100,000 descriptors back
/// into objects. The output is byte for byte what the generated serializer writes for the same
/// messages: fields in number order, proto3 zero scalars left out, each descriptor as a
/// length-delimited field around its stored bytes.
/// </summary>
internal static class TopologyWire
{
    private const int SnapshotVersion = TopologySnapshot.VersionFieldNumber;
    private const int SnapshotIssuedAt = TopologySnapshot.IssuedAtFieldNumber;
    private const int SnapshotMixnodes = TopologySnapshot.MixnodesFieldNumber;
    private const int SnapshotGateways = TopologySnapshot.GatewaysFieldNumber;
    private const int DeltaFromVersion = TopologyDelta.FromVersionFieldNumber;
    private const int DeltaToVersion = TopologyDelta.ToVersionFieldNumber;
    private const int DeltaIssuedAt = TopologyDelta.IssuedAtFieldNumber;
    private const int DeltaUpserted = TopologyDelta.UpsertedFieldNumber;
    private const int DeltaRemoved = TopologyDelta.RemovedFieldNumber;
    private const int SnapshotQuality = TopologySnapshot.QualityFieldNumber;
    private const int DeltaQuality = TopologyDelta.QualityFieldNumber;

    /// <summary>The quality entries of listed nodes, ordered by identity key.</summary>
    public static PublishedQuality[] QualityOf(IReadOnlyDictionary<NodeId, NodeRecord> members, IReadOnlyDictionary<NodeId, PublishedQuality> quality)
    {
        var entries = new List<PublishedQuality>(Math.Min(members.Count, quality.Count));
        foreach (var (id, _) in members)
        {
            if (quality.TryGetValue(id, out var entry))
            {
                entries.Add(entry);
            }
        }

        entries.Sort(static (x, y) => x.Id.CompareTo(y.Id));
        return [.. entries];
    }

    /// <summary>
    /// The members in snapshot order: by layer, then identity key. Gateways (layer 0) come first
    /// here but are written after the mixnodes, in their own field.
    /// </summary>
    public static NodeRecord[] InSnapshotOrder(IReadOnlyDictionary<NodeId, NodeRecord> members)
    {
        var nodes = new NodeRecord[members.Count];
        var i = 0;
        foreach (var (_, record) in members)
        {
            nodes[i++] = record;
        }

        Array.Sort(nodes, static (x, y) =>
        {
            var byLayer = x.Layer.CompareTo(y.Layer);
            return byLayer != 0 ? byLayer : x.Id.CompareTo(y.Id);
        });
        return nodes;
    }

    /// <summary>The size of the snapshot's wire form, for allocating its buffer exactly.</summary>
    public static int SnapshotSize(ulong version, Timestamp issuedAt, NodeRecord[] nodes, PublishedQuality[] quality)
    {
        var qualitySize = 0;
        foreach (var entry in quality)
        {
            qualitySize += QualitySize(SnapshotQuality, entry);
        }

        var size = ScalarSize(SnapshotVersion, version) + MessageSize(SnapshotIssuedAt, issuedAt);
        foreach (var record in nodes)
        {
            size += DescriptorSize(record.Role == NodeRole.Gateway ? SnapshotGateways : SnapshotMixnodes, record);
        }

        return size + qualitySize;
    }

    /// <summary>Writes the snapshot; <paramref name="nodes"/> must be in <see cref="InSnapshotOrder"/>.</summary>
    public static void WriteSnapshot(CodedOutputStream output, ulong version, Timestamp issuedAt, NodeRecord[] nodes, PublishedQuality[] quality)
    {
        WriteScalar(output, SnapshotVersion, version);
        WriteMessage(output, SnapshotIssuedAt, issuedAt);

        // A repeated field is written whole, in order: all mixnodes (field 3), then all gateways (field 4).
        foreach (var record in nodes)
        {
            if (record.Role != NodeRole.Gateway)
            {
                WriteDescriptor(output, SnapshotMixnodes, record);
            }
        }

        foreach (var record in nodes)
        {
            if (record.Role == NodeRole.Gateway)
            {
                WriteDescriptor(output, SnapshotGateways, record);
            }
        }

        var keyScratch = new byte[32];
        foreach (var entry in quality)
        {
            WriteQuality(output, SnapshotQuality, entry, keyScratch);
        }
    }

    /// <summary>A serialized delta, in one array of exactly its size.</summary>
    public static byte[] Delta(ulong fromVersion, ulong toVersion, Timestamp issuedAt, IReadOnlyList<NodeRecord> upserted, IReadOnlyList<NodeId> removed, IReadOnlyList<PublishedQuality> quality)
    {
        var removedKeys = new ByteString[removed.Count];
        for (var i = 0; i < removedKeys.Length; i++)
        {
            removedKeys[i] = removed[i].ToByteString();
        }

        var size = ScalarSize(DeltaFromVersion, fromVersion) + ScalarSize(DeltaToVersion, toVersion) + MessageSize(DeltaIssuedAt, issuedAt);
        foreach (var record in upserted)
        {
            size += DescriptorSize(DeltaUpserted, record);
        }

        foreach (var key in removedKeys)
        {
            size += CodedOutputStream.ComputeTagSize(DeltaRemoved) + CodedOutputStream.ComputeBytesSize(key);
        }

        foreach (var entry in quality)
        {
            size += QualitySize(DeltaQuality, entry);
        }

        var bytes = new byte[size];
        var output = new CodedOutputStream(bytes);
        WriteScalar(output, DeltaFromVersion, fromVersion);
        WriteScalar(output, DeltaToVersion, toVersion);
        WriteMessage(output, DeltaIssuedAt, issuedAt);
        foreach (var record in upserted)
        {
            WriteDescriptor(output, DeltaUpserted, record);
        }

        foreach (var key in removedKeys)
        {
            output.WriteTag(DeltaRemoved, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(key);
        }

        var keyScratch = new byte[32];
        foreach (var entry in quality)
        {
            WriteQuality(output, DeltaQuality, entry, keyScratch);
        }

        output.CheckNoSpaceLeft();
        return bytes;
    }

    // proto3: a scalar equal to zero is not written at all.
    private static int ScalarSize(int field, ulong value) =>
        value == 0 ? 0 : CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeUInt64Size(value);

    private static void WriteScalar(CodedOutputStream output, int field, ulong value)
    {
        if (value != 0)
        {
            output.WriteTag(field, WireFormat.WireType.Varint);
            output.WriteUInt64(value);
        }
    }

    // A set message field is written even when empty (a timestamp at the epoch).
    private static int MessageSize(int field, Timestamp message) =>
        CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeMessageSize(message);

    private static void WriteMessage(CodedOutputStream output, int field, Timestamp message)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteMessage(message);
    }

    private static int DescriptorSize(int field, NodeRecord record) =>
        CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeLengthSize(record.DescriptorBytes.Length) + record.DescriptorBytes.Length;

    private static int QualitySize(int field, PublishedQuality entry) =>
        CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeLengthSize(entry.Size) + entry.Size;

    private static void WriteQuality(CodedOutputStream output, int field, PublishedQuality entry, byte[] key)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteLength(entry.Size);
        entry.WriteTo(output, key);
    }

    private static void WriteDescriptor(CodedOutputStream output, int field, NodeRecord record)
    {
        // WriteBytes writes the length and then the bytes: the same as an embedded message
        // whose serialization is those bytes. The wrapper copies nothing.
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(record.DescriptorBytes));
    }
}
