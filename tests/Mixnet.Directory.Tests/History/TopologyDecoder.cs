using Google.Protobuf;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.History;

/// <summary>
/// Verifies and parses every snapshot and delta, replays each watch stream's deltas from its
/// last snapshot, and insists that every way of arriving at a version (a fetched snapshot, a
/// watch snapshot, deltas applied) gives the same nodes and descriptors.
/// </summary>
internal sealed class TopologyDecoder(RecordedHistory history, List<Violation> violations)
{
    private readonly Dictionary<ulong, (TopologyView View, Observation Source)> _byVersion = [];
    private readonly Dictionary<int, TopologyView> _views = [];

    /// <summary>The view each observation showed, by observation id; absent where it could not be read.</summary>
    public IReadOnlyDictionary<int, TopologyView> Decode()
    {
        foreach (var observation in history.Observations)
        {
            if (observation.Snapshot is { } signed && ReadSnapshot(observation, signed) is { } view)
            {
                _views[observation.Id] = view;
                Remember(view, observation, "its snapshot");
            }
        }

        foreach (var stream in history.Observations.Where(o => o.Kind == ObservationKind.Watch).GroupBy(o => (o.Observer, o.Stream)))
        {
            ReplayStream([.. stream.OrderBy(o => o.Id)]);
        }

        foreach (var observation in history.Observations.Where(o => o.IsNotModified))
        {
            // "Not modified" means: still the version the caller already holds.
            _views[observation.Id] = _byVersion.TryGetValue(observation.KnownVersion, out var known)
                ? known.View
                : new TopologyView(observation.KnownVersion, null);
        }

        return _views;
    }

    private void ReplayStream(IReadOnlyList<Observation> messages)
    {
        TopologyView? position = null;
        foreach (var message in messages)
        {
            if (message.Snapshot is not null)
            {
                var view = _views.GetValueOrDefault(message.Id);
                if (position is not null && view is not null && view.Version <= position.Version)
                {
                    Add(Invariants.Monotonic, $"{message} re-sent v{view.Version} after the stream was at v{position.Version}");
                }

                position = view;
                continue;
            }

            if (message.Delta is not { } signed || ReadDelta(message, signed) is not { } delta)
            {
                position = null;
                continue;
            }

            if (position?.Nodes is null)
            {
                if (message.OpensStream)
                {
                    Add(Invariants.Contiguous, $"{message} opened the stream with a delta, not a snapshot");
                }

                continue;
            }

            if (delta.FromVersion != position.Version || delta.ToVersion <= delta.FromVersion)
            {
                Add(Invariants.Contiguous, $"{message} is a delta v{delta.FromVersion}->v{delta.ToVersion} but the stream was at v{position.Version}");
                position = null;
                continue;
            }

            var nodes = new Dictionary<ByteString, NodeDescriptor>(position.Nodes);
            foreach (var removed in delta.Removed)
            {
                if (!nodes.Remove(removed))
                {
                    Add(Invariants.Contiguous, $"{message} removes {HistoryFormat.Node(removed)}, which v{position.Version} did not list");
                }
            }

            foreach (var upserted in delta.Upserted)
            {
                nodes[upserted.IdentityKey] = upserted;
            }

            position = new TopologyView(delta.ToVersion, nodes);
            _views[message.Id] = position;
            Remember(position, message, "the deltas applied to its stream's snapshot");
        }
    }

    private void Remember(TopologyView view, Observation source, string how)
    {
        if (!_byVersion.TryGetValue(view.Version, out var first))
        {
            _byVersion[view.Version] = (view, source);
        }
        else if (!first.View.SameNodesAs(view))
        {
            Add(Invariants.SameVersion, $"{source}: {how} gives {view.Describe()}, but {first.Source} showed {first.View.Describe()}");
        }
    }

    private TopologyView? ReadSnapshot(Observation observation, SignedTopology signed)
    {
        if (!DirectorySignatures.Verify(history.DirectoryKey, SignatureDomain.Topology, signed.Topology.Span, signed.Signature.Span))
        {
            Add(Invariants.Signature, $"{observation}: the snapshot's signature does not verify against the directory key");
        }

        TopologySnapshot snapshot;
        try
        {
            snapshot = TopologySnapshot.Parser.ParseFrom(signed.Topology);
        }
        catch (InvalidProtocolBufferException ex)
        {
            Add(Invariants.Signature, $"{observation}: the snapshot does not parse: {ex.Message}");
            return null;
        }

        var nodes = new Dictionary<ByteString, NodeDescriptor>();
        foreach (var node in snapshot.Mixnodes.Concat(snapshot.Gateways))
        {
            if (!nodes.TryAdd(node.IdentityKey, node))
            {
                Add(Invariants.Visibility, $"{observation}: v{snapshot.Version} lists {HistoryFormat.Node(node.IdentityKey)} twice");
            }
        }

        return new TopologyView(snapshot.Version, nodes);
    }

    private TopologyDelta? ReadDelta(Observation observation, SignedTopologyDelta signed)
    {
        if (!DirectorySignatures.Verify(history.DirectoryKey, SignatureDomain.TopologyDelta, signed.Delta.Span, signed.Signature.Span))
        {
            Add(Invariants.Signature, $"{observation}: the delta's signature does not verify against the directory key");
        }

        try
        {
            return TopologyDelta.Parser.ParseFrom(signed.Delta);
        }
        catch (InvalidProtocolBufferException ex)
        {
            Add(Invariants.Signature, $"{observation}: the delta does not parse: {ex.Message}");
            return null;
        }
    }

    private void Add(string invariant, string detail) => violations.Add(new Violation(invariant, detail));
}
