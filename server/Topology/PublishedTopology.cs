using Mixnet.Directory.Server.Domain;

namespace Mixnet.Directory.Server.Topology;

/// <summary>A version that has been published to watchers; its snapshot is built on first request.</summary>
internal sealed record PublishedTopology(TopologyState State, DateTimeOffset PublishedAt)
{
    public ulong Version => State.Version;
}
