namespace Mixnet.Directory.Server.Topology;

/// <summary>
/// The last few published versions, so an immutable versioned URL (<c>/v1/topology/{version}</c>)
/// keeps answering for a while after a newer version replaced it. Bounded by count: each entry
/// holds its snapshot once built (a 100,000-node snapshot is tens of MB), so it stays small.
/// </summary>
internal sealed class PublishedHistory
{
    /// <summary>How many versions are kept, the newest included.</summary>
    public const int Capacity = 8;

    private readonly Lock _gate = new();
    private readonly PublishedTopology?[] _ring = new PublishedTopology?[Capacity];
    private int _next;

    public void Add(PublishedTopology published)
    {
        lock (_gate)
        {
            _ring[_next] = published;
            _next = (_next + 1) % Capacity;
        }
    }

    /// <summary>The publication of <paramref name="version"/>, while it is still kept.</summary>
    public bool TryGet(ulong version, out PublishedTopology published)
    {
        lock (_gate)
        {
            foreach (var entry in _ring)
            {
                if (entry is not null && entry.Version == version)
                {
                    published = entry;
                    return true;
                }
            }
        }

        published = null!;
        return false;
    }
}
