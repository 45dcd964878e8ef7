using System.Collections.Concurrent;
using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Server.Quality;

/// <summary>
/// Interns the hop strings of metrics reports (<c>host:mix_port</c>) as small endpoint numbers,
/// so a report costs one string lookup per hop and no parsing or allocation once its hops are
/// known. Only hops naming a listed endpoint are interned (a report cannot grow the table with
/// made-up names); unknown hops are remembered as misses against the listing of one membership
/// version, rebuilt at most once a second after the membership changed. Numbers are stable for the
/// table's life; the period loop maps them to the listed nodes once per period
/// (<see cref="Slots"/>) and starts a fresh table when this one fills.
/// </summary>
internal sealed class HopTable
{
    private static readonly TimeSpan RelistEvery = TimeSpan.FromSeconds(1);

    // Each spelling with its number, and the spelling itself: boxes keep it to compare the next
    // report's hops against, without holding on to the reports' strings.
    private readonly ConcurrentDictionary<string, (int Id, string Spelling)> _hops = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Dictionary<EndpointKey, int> _ids = [];
    private readonly Func<ulong> _version;
    private readonly Func<IEnumerable<EndpointKey>> _listed;
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private volatile Listing? _listing;

    /// <param name="version">The membership version (cheap; read per miss).</param>
    /// <param name="listed">The listed endpoints now (read when the version moved).</param>
    /// <param name="time">Paces the relisting.</param>
    /// <param name="capacity">Endpoints this table numbers at most; hop spellings and misses are bounded by twice that.</param>
    public HopTable(Func<ulong> version, Func<IEnumerable<EndpointKey>> listed, TimeProvider time, int capacity)
    {
        _version = version;
        _listed = listed;
        _time = time;
        _capacity = capacity;
    }

    /// <summary>Endpoints numbered so far.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _ids.Count;
            }
        }
    }

    /// <summary>True once three quarters of the capacity are used: the period loop then starts a new table.</summary>
    public bool NearlyFull => Count * 4 >= _capacity * 3;

    /// <returns>The hop's endpoint number, or -1 when it names no listed endpoint.</returns>
    public int Resolve(string hop) => Resolve(hop, out _);

    /// <param name="hop">A report's hop key.</param>
    /// <param name="spelling">The table's own string equal to <paramref name="hop"/> when numbered and interned, else null.</param>
    /// <returns>The hop's endpoint number, or -1 when it names no listed endpoint.</returns>
    public int Resolve(string hop, out string? spelling)
    {
        if (_hops.TryGetValue(hop, out var known))
        {
            spelling = known.Spelling;
            return known.Id;
        }

        spelling = null;
        return Miss(hop, ref spelling);
    }

    /// <returns>For each endpoint number, the index in <paramref name="listed"/> of the node at that endpoint, or -1.</returns>
    public int[] Slots(IReadOnlyList<QualityNode> listed)
    {
        lock (_gate)
        {
            var slots = new int[_ids.Count];
            Array.Fill(slots, -1);
            for (var i = 0; i < listed.Count; i++)
            {
                if (_ids.TryGetValue(listed[i].Endpoint, out var id))
                {
                    slots[id] = i;
                }
            }

            return slots;
        }
    }

    private int Miss(string hop, ref string? spelling)
    {
        var listing = CurrentListing();
        if (listing.Misses.ContainsKey(hop))
        {
            return -1;
        }

        if (!HopEndpoint.TryParse(hop, out var endpoint) || !listing.Endpoints.Contains(endpoint))
        {
            if (listing.Misses.Count < 2 * _capacity)
            {
                listing.Misses.TryAdd(hop, 0);
            }

            return -1;
        }

        lock (_gate)
        {
            if (!_ids.TryGetValue(endpoint, out var id))
            {
                if (_ids.Count >= _capacity)
                {
                    return -1;
                }

                id = _ids.Count;
                _ids.Add(endpoint, id);
            }

            if (_hops.Count < 2 * _capacity)
            {
                spelling = _hops.GetOrAdd(hop, (id, hop)).Spelling;
            }

            return id;
        }
    }

    private Listing CurrentListing()
    {
        var listing = _listing;
        var version = _version();
        if (listing is not null && (listing.Version == version || _time.GetUtcNow() - listing.BuiltAt < RelistEvery))
        {
            return listing;
        }

        lock (_gate)
        {
            listing = _listing;
            if (listing is null || (listing.Version != version && _time.GetUtcNow() - listing.BuiltAt >= RelistEvery))
            {
                _listing = listing = new Listing(version, [.. _listed()], _time.GetUtcNow());
            }

            return listing;
        }
    }

    /// <summary>The endpoints listed at one membership version, and the hops found to name none of them.</summary>
    private sealed record Listing(ulong Version, HashSet<EndpointKey> Endpoints, DateTimeOffset BuiltAt)
    {
        public ConcurrentDictionary<string, byte> Misses { get; } = new(StringComparer.Ordinal);
    }
}
