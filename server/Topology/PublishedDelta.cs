using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Topology;

/// <summary>One signed delta, built once and queued to every watcher.</summary>
internal sealed record PublishedDelta(ulong FromVersion, ulong ToVersion, WatchTopologyResponse Message);
