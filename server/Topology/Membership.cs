using System.Collections.Immutable;
using Mixnet.Directory.Server.Quality;
using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Server.Topology;

/// <summary>
/// The topology's membership as the registry edits it: the node set, its version and the change
/// log the publisher turns into deltas. Each change is applied whole by <see cref="Apply"/>, so a
/// reader never sees a version whose node set is half edited. The set is edited in place; an
/// immutable <see cref="TopologyState"/> is frozen from it only when someone reads
/// <see cref="State"/> (freezing per change copied a tree path each time and left the GC
/// megabytes of churn).
/// </summary>
internal sealed class Membership
{
    private readonly Lock _gate = new();
    private readonly ImmutableDictionary<NodeId, NodeRecord>.Builder _members = ImmutableDictionary.CreateBuilder<NodeId, NodeRecord>();
    private readonly List<(ulong Version, NodeId Id)> _changeLog = [];
    private volatile TopologyState _state;
    private ImmutableDictionary<NodeId, PublishedQuality> _quality = ImmutableDictionary<NodeId, PublishedQuality>.Empty;
    private ulong _version;
    private int _count;

    public Membership(TimeProvider time)
    {
        // Versions start from the start time, so a restarted directory never reissues a version
        // number that a client still holds for different content.
        _version = (ulong)Math.Max(1, time.GetUtcNow().ToUnixTimeMilliseconds()) * 1000;
        _state = new TopologyState(_version, _members.ToImmutable(), _quality);
    }

    /// <summary>Raised after the version changed, outside the membership's lock.</summary>
    public event Action<ulong>? Changed;

    /// <summary>The current version, without freezing a view (heartbeats report it).</summary>
    public ulong Version => Volatile.Read(ref _version);

    /// <summary>Nodes in the topology now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The current node set and its version, frozen on first read after a change.</summary>
    public TopologyState State
    {
        get
        {
            var state = _state;
            if (state.Version == Version)
            {
                return state;
            }

            lock (_gate)
            {
                if (_state.Version != _version)
                {
                    _state = new TopologyState(_version, _members.ToImmutable(), _quality);
                }

                return _state;
            }
        }
    }

    /// <summary>The record whose descriptor is published for <paramref name="id"/>, if listed.</summary>
    public bool TryGetListed(NodeId id, out NodeRecord record)
    {
        lock (_gate)
        {
            return _members.TryGetValue(id, out record!);
        }
    }

    /// <summary>
    /// Removes <paramref name="removed"/> and lists <paramref name="upserted"/> as one version.
    /// </summary>
    /// <returns>The new version, or the current one when nothing was listed or unlisted.</returns>
    public ulong Apply(NodeRecord? upserted, ReadOnlySpan<NodeId> removed)
    {
        ulong version;
        lock (_gate)
        {
            version = _version + 1;
            var changed = false;
            foreach (var id in removed)
            {
                if (_members.Remove(id))
                {
                    _changeLog.Add((version, id));
                    changed = true;
                }
            }

            if (upserted is not null)
            {
                _members[upserted.Id] = upserted;
                _changeLog.Add((version, upserted.Id));
                changed = true;
            }

            if (!changed)
            {
                return _version;
            }

            Volatile.Write(ref _count, _members.Count);
            Volatile.Write(ref _version, version);
        }

        Changed?.Invoke(version);
        return version;
    }

    /// <summary>
    /// Replaces the published quality table. Makes one new version when the value of a listed
    /// node changed (the quality loop calls it once per period), none otherwise.
    /// </summary>
    /// <returns>The version after the call.</returns>
    public ulong SetQuality(ImmutableDictionary<NodeId, PublishedQuality> quality)
    {
        ulong version;
        lock (_gate)
        {
            version = _version + 1;
            var changed = false;
            foreach (var (id, _) in _members)
            {
                var now = quality.GetValueOrDefault(id);
                if (!ReferenceEquals(now, _quality.GetValueOrDefault(id)))
                {
                    _changeLog.Add((version, id));
                    changed = true;
                }
            }

            _quality = quality;
            if (!changed)
            {
                return _version;
            }

            Volatile.Write(ref _version, version);
        }

        Changed?.Invoke(version);
        return version;
    }

    /// <summary>
    /// The identities whose membership may differ between two versions, and forgets changes at
    /// or before <paramref name="fromVersion"/> (the publisher never asks for them again).
    /// </summary>
    public HashSet<NodeId> TakeChangesSince(ulong fromVersion, ulong toVersion)
    {
        var touched = new HashSet<NodeId>();
        lock (_gate)
        {
            var drop = 0;
            foreach (var (version, id) in _changeLog)
            {
                if (version <= fromVersion)
                {
                    drop++;
                }
                else if (version <= toVersion)
                {
                    touched.Add(id);
                }
            }

            _changeLog.RemoveRange(0, drop);
        }

        return touched;
    }
}
