using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Topology;

/// <summary>
/// A version that has been published to watchers. Its signed snapshot is built on first request,
/// exactly once, and shared by every caller of that version.
/// </summary>
internal sealed class PublishedTopology
{
    private readonly Lazy<SignedTopology> _snapshot;

    public PublishedTopology(TopologyState state, DateTimeOffset publishedAt, Func<PublishedTopology, SignedTopology> build)
    {
        State = state;
        PublishedAt = publishedAt;
        _snapshot = new Lazy<SignedTopology>(() => build(this), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public TopologyState State { get; }

    public DateTimeOffset PublishedAt { get; }

    public ulong Version => State.Version;

    public SignedTopology Snapshot => _snapshot.Value;
}
