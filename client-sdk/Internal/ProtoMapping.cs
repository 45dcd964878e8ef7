using System.Collections.Immutable;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Client.Internal;

/// <summary>From wire messages to the SDK's records. Byte fields are wrapped, not copied: a ByteString never changes.</summary>
internal static class ProtoMapping
{
    public static NodeInfo ToNodeInfo(V1.NodeDescriptor d) => new(
        d.IdentityKey.Memory,
        d.SphinxKey.Memory,
        d.Role == V1.NodeRole.Gateway ? NodeRole.Gateway : NodeRole.Mixnode,
        (int)d.Layer,
        d.Host,
        (int)d.MixPort,
        (int)d.ClientPort,
        d.Version,
        d.Location,
        d.SignedAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue);

    public static V1.NodeRole ToProto(NodeRole role) => role switch
    {
        NodeRole.Mixnode => V1.NodeRole.Mixnode,
        NodeRole.Gateway => V1.NodeRole.Gateway,
        _ => V1.NodeRole.Unspecified,
    };

    public static Topology ToTopology(V1.TopologySnapshot snapshot)
    {
        var builder = ImmutableDictionary.CreateBuilder<KeyId, NodeInfo>();
        Add(builder, snapshot.Mixnodes);
        Add(builder, snapshot.Gateways);
        var nodes = builder.ToImmutable();
        var quality = ImmutableDictionary.CreateBuilder<KeyId, NodeQuality>();
        foreach (var q in snapshot.Quality)
        {
            if (q.IdentityKey.Length == DirectorySignatures.PublicKeySize && nodes.ContainsKey(KeyId.From(q.IdentityKey.Span)))
            {
                quality[KeyId.From(q.IdentityKey.Span)] = ToNodeQuality(q);
            }
        }

        return new Topology(snapshot.Version, snapshot.IssuedAt?.ToDateTimeOffset() ?? default, nodes, quality.ToImmutable());
    }

    /// <summary>Scores clamped to 0..1: a NaN or out-of-range value never reaches a weight.</summary>
    public static NodeQuality ToNodeQuality(V1.NodeQuality q) => new(Unit(q.Reliability), Unit(q.Reliability24H), Unit(q.Uptime), q.Excluded);

    private static double Unit(double value) => double.IsNaN(value) ? 0 : Math.Clamp(value, 0, 1);

    public static DirectoryInfo ToDirectoryInfo(V1.GetDirectoryInfoResponse r) => new(
        r.DirectoryKey.Memory,
        KeyFingerprint.Of(r.DirectoryKey.Span),
        r.Ttl?.ToTimeSpan() ?? TimeSpan.Zero,
        r.HeartbeatInterval?.ToTimeSpan() ?? TimeSpan.Zero,
        r.ServerVersion);

    public static NodeDetails ToNodeDetails(V1.GetNodeResponse r) => new(
        ToNodeInfo(r.Descriptor_),
        r.RegisteredAt?.ToDateTimeOffset() ?? default,
        r.LastSeen?.ToDateTimeOffset() ?? default)
    {
        Quality = r.Quality is null ? null : ToNodeQuality(r.Quality),
    };

    public static MetricsFrame ToMetricsFrame(V1.StreamMetricsResponse r)
    {
        var nodes = new NodeTraffic[r.Nodes.Count];
        for (var i = 0; i < nodes.Length; i++)
        {
            var n = r.Nodes[i];
            nodes[i] = new NodeTraffic(n.IdentityKey.Memory, n.Sent, n.Received);
        }

        return new MetricsFrame(
            r.WindowEnd?.ToDateTimeOffset() ?? default,
            r.Window?.ToTimeSpan() ?? TimeSpan.Zero,
            nodes,
            r.NetworkSent,
            r.NetworkReceived,
            (int)r.LiveNodes,
            r.DroppedFrames);
    }

    private static void Add(ImmutableDictionary<KeyId, NodeInfo>.Builder builder, IEnumerable<V1.NodeDescriptor> descriptors)
    {
        foreach (var d in descriptors)
        {
            if (d.IdentityKey.Length == DirectorySignatures.PublicKeySize)
            {
                builder[KeyId.From(d.IdentityKey.Span)] = ToNodeInfo(d);
            }
        }
    }
}
