namespace Mixnet.Directory.Server.Topology;

/// <summary>
/// HTTP caching of the topology routes, read from the <c>Directory</c> section
/// (<c>Directory:TopologyMaxAge</c>, <c>Directory:TopologyVersionedMaxAge</c>).
/// </summary>
public sealed class TopologyHttpOptions
{
    /// <summary>
    /// <c>max-age</c> of the unversioned URLs (<c>/v1/topology</c>, the decoded view, node views):
    /// how stale a cache may serve the latest topology before it asks again (with If-None-Match).
    /// </summary>
    public TimeSpan TopologyMaxAge { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>max-age</c> of the immutable versioned URLs (<c>/v1/topology/{version}</c>).</summary>
    public TimeSpan TopologyVersionedMaxAge { get; set; } = TimeSpan.FromDays(365);
}
