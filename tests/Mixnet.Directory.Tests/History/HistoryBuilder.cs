using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;
using NSec.Cryptography;

namespace Mixnet.Directory.Tests.History;

/// <summary>Hand-made histories for the checker's own tests: times in milliseconds, a real directory key.</summary>
internal sealed class HistoryBuilder : IDisposable
{
    private static readonly DateTimeOffset Epoch = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519);
    private readonly List<WriteOp> _writes = [];
    private readonly List<Observation> _observations = [];
    private int _nextId;
    private int _signedSeconds;

    public HistoryRules Rules { get; set; } = new(
        Ttl: TimeSpan.FromMilliseconds(1000),
        SweepInterval: TimeSpan.FromMilliseconds(100),
        ExpiryGrace: TimeSpan.FromMilliseconds(200),
        ClockSlack: TimeSpan.Zero);

    public static ByteString Identity(int node) => ByteString.CopyFrom(Enumerable.Repeat((byte)node, DirectorySignatures.PublicKeySize).ToArray());

    /// <summary>A descriptor of node <paramref name="node"/>, each one signed later than the last.</summary>
    public NodeDescriptor Descriptor(int node, string version = "1.0.0") => new()
    {
        IdentityKey = Identity(node),
        SphinxKey = ByteString.CopyFrom(new byte[DirectorySignatures.PublicKeySize]),
        Role = NodeRole.Mixnode,
        Layer = 1,
        Host = "127.0.0.1",
        MixPort = (uint)(10_000 + node),
        Version = version,
        Location = "Lab",
        SignedAt = Timestamp.FromDateTimeOffset(Epoch.AddSeconds(++_signedSeconds)),
    };

    public WriteOp Register(NodeDescriptor descriptor, double invoked, double? completed, ulong? version, WriteOutcome outcome = WriteOutcome.Ok)
    {
        var id = ++_nextId;
        return Write(new WriteOp(id, "writer", WriteKind.Register, descriptor.IdentityKey, Ms(invoked), Ms(completed), outcome, descriptor, version, id));
    }

    public WriteOp Heartbeat(WriteOp lease, double invoked, double? completed, ulong? version, WriteOutcome outcome = WriteOutcome.Ok) =>
        Write(new WriteOp(++_nextId, "writer", WriteKind.Heartbeat, lease.Node, Ms(invoked), Ms(completed), outcome, null, version, lease.Id));

    public WriteOp Deregister(WriteOp lease, double invoked, double? completed, WriteOutcome outcome = WriteOutcome.Ok) =>
        Write(new WriteOp(++_nextId, "writer", WriteKind.Deregister, lease.Node, Ms(invoked), Ms(completed), outcome, null, null, lease.Id));

    public WriteOp Ban(int node, double invoked, double? completed) =>
        Write(new WriteOp(++_nextId, "admin", WriteKind.Ban, Identity(node), Ms(invoked), Ms(completed), WriteOutcome.Ok));

    public Observation Fetch(string observer, double invoked, double completed, ulong version, params NodeDescriptor[] nodes) =>
        FetchSigned(observer, invoked, completed, 0, Snapshot(version, nodes));

    public Observation FetchSigned(string observer, double invoked, double completed, ulong knownVersion, SignedTopology? snapshot) =>
        Observe(new Observation(++_nextId, observer, ObservationKind.Fetch, Ms(invoked), Ms(completed), knownVersion, snapshot));

    public Observation NotModified(string observer, double invoked, double completed, ulong knownVersion) =>
        FetchSigned(observer, invoked, completed, knownVersion, null);

    public Observation WatchSnapshot(string observer, int stream, double invoked, double completed, ulong version, params NodeDescriptor[] nodes) =>
        Observe(new Observation(++_nextId, observer, ObservationKind.Watch, Ms(invoked), Ms(completed), 0, Snapshot(version, nodes), null, stream, OpensStream: true));

    public Observation WatchDelta(string observer, int stream, double at, ulong from, ulong to, NodeDescriptor[] upserted, params ByteString[] removed) =>
        WatchDelta(observer, stream, at, Delta(from, to, upserted, removed));

    public Observation WatchDelta(string observer, int stream, double at, SignedTopologyDelta delta) =>
        Observe(new Observation(++_nextId, observer, ObservationKind.Watch, Ms(at), Ms(at), 0, null, delta, stream));

    public SignedTopology Snapshot(ulong version, params NodeDescriptor[] nodes)
    {
        var snapshot = new TopologySnapshot { Version = version, IssuedAt = Timestamp.FromDateTimeOffset(Epoch) };
        snapshot.Mixnodes.AddRange(nodes);
        var bytes = snapshot.ToByteArray();
        return new SignedTopology
        {
            Topology = ByteString.CopyFrom(bytes),
            Signature = ByteString.CopyFrom(DirectorySignatures.Sign(_key, SignatureDomain.Topology, bytes)),
        };
    }

    public SignedTopologyDelta Delta(ulong from, ulong to, NodeDescriptor[] upserted, params ByteString[] removed)
    {
        var delta = new TopologyDelta { FromVersion = from, ToVersion = to, IssuedAt = Timestamp.FromDateTimeOffset(Epoch) };
        delta.Upserted.AddRange(upserted);
        delta.Removed.AddRange(removed);
        var bytes = delta.ToByteArray();
        return new SignedTopologyDelta
        {
            Delta = ByteString.CopyFrom(bytes),
            Signature = ByteString.CopyFrom(DirectorySignatures.Sign(_key, SignatureDomain.TopologyDelta, bytes)),
        };
    }

    /// <summary>The same bytes with one signature bit flipped.</summary>
    public static ByteString Corrupt(ByteString signature)
    {
        var bytes = signature.ToByteArray();
        bytes[0] ^= 1;
        return ByteString.CopyFrom(bytes);
    }

    public RecordedHistory Build() => new([.. _writes], [.. _observations], Rules, _key.PublicKey.Export(KeyBlobFormat.RawPublicKey));

    public void Dispose() => _key.Dispose();

    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    private static TimeSpan? Ms(double? milliseconds) => milliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null;

    private WriteOp Write(WriteOp write)
    {
        _writes.Add(write);
        return write;
    }

    private Observation Observe(Observation observation)
    {
        _observations.Add(observation);
        return observation;
    }
}
