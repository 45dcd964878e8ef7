namespace Mixnet.Directory.Server.Topology;

/// <summary>
/// What the topology routes answered: full bodies against 304s. It shows how well the HTTP
/// caches in front of the directory work (one full response per version per cache is ideal).
/// </summary>
internal sealed class TopologyHttpStats
{
    private long _fullResponses;
    private long _notModified;

    /// <summary>Responses that carried a topology body.</summary>
    public long FullResponses => Interlocked.Read(ref _fullResponses);

    /// <summary>Conditional requests answered 304 Not Modified.</summary>
    public long NotModified => Interlocked.Read(ref _notModified);

    public void CountFull() => Interlocked.Increment(ref _fullResponses);

    public void CountNotModified() => Interlocked.Increment(ref _notModified);
}
