using System.Collections;
using Google.Protobuf.Collections;

namespace Mixnet.Directory.Server.Quality;

/// <summary>
/// One side (next hops or previous hops) of one node's counts in one period: a dense count per
/// slot, a slot per endpoint the node named (at most <c>maxHops</c>), and each slot's spelling as
/// the <see cref="HopTable"/> interned it. Not thread-safe: its <see cref="HopCountsBox"/> locks.
/// </summary>
/// <remarks>
/// A node lists the same hops in the same order report after report (the SDK enumerates its
/// counters in their table's order), so slots are made in report order and a report is matched
/// against them with a cursor: a hop equal (ordinal, vectorised) to the slot spelling at the
/// cursor is that slot, with no hashing. Any other hop is looked up as before (the table, then
/// this side's endpoint → slot map) and the cursor moves behind the slot found, so an omitted,
/// added or moved hop costs one lookup and the rest of the report matches again. A report in a
/// new order every time costs the lookups alone, after its first few hops.
/// Memory: per slot 8 B of count, 4 B of endpoint number, 8 B of spelling reference (the string
/// is the table's, shared by every node) and a map entry (about 16 B), bounded by <c>maxHops</c>.
/// </remarks>
internal sealed class HopSlots : IReadOnlyDictionary<int, ulong>
{
    // Lookups in one report after which, if at least half its hops so far needed one, the rest
    // of the report is looked up without comparing first: a reporter that reorders every time
    // then costs what every report cost before this class matched anything.
    private const int GiveUpAfter = 16;

    private readonly Dictionary<int, int> _slots = [];
    private ulong[] _counts = [];
    private int[] _endpoints = [];
    private string?[] _spellings = [];

    /// <summary>Hops matched at the cursor (no lookup) and hops looked up, for tests and diagnostics.</summary>
    public (long Matched, long LookedUp) Stats { get; private set; }

    public int Count => _slots.Count;

    public IEnumerable<int> Keys => _slots.Keys;

    public IEnumerable<ulong> Values => _slots.Values.Select(slot => _counts[slot]);

    public ulong this[int key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException();

    /// <summary>Adds a report's counts; hops that name no listed endpoint, or beyond <paramref name="maxHops"/> distinct endpoints, count only toward the returned total.</summary>
    /// <returns>The sum of every count in <paramref name="counts"/>.</returns>
    public ulong Add(MapField<string, ulong> counts, HopTable hops, int maxHops)
    {
        ulong total = 0;
        var cursor = 0;
        long seen = 0, lookedUp = 0;
        var spellings = _spellings;
        var made = _slots.Count;
        foreach (var (hop, count) in counts)
        {
            total += count;
            seen++;
            int slot;
            if (cursor < made && string.Equals(spellings[cursor], hop))
            {
                slot = cursor;
            }
            else
            {
                lookedUp++;
                slot = Find(hop, hops, maxHops);
                spellings = _spellings;
                made = _slots.Count;
                if (lookedUp > GiveUpAfter && lookedUp * 2 > seen)
                {
                    made = 0; // Mostly out of order: compare no more in this report, only look up.
                }

                if (slot < 0)
                {
                    continue;
                }
            }

            _counts[slot] += count;
            cursor = slot + 1;
        }

        var (matched, looked) = Stats;
        Stats = (matched + seen - lookedUp, looked + lookedUp);
        return total;
    }

    public bool ContainsKey(int key) => _slots.ContainsKey(key);

    public bool TryGetValue(int key, out ulong value)
    {
        if (_slots.TryGetValue(key, out var slot))
        {
            value = _counts[slot];
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>The endpoint number of slot <paramref name="slot"/> (slots are 0 to <see cref="Count"/> − 1).</summary>
    public int EndpointAt(int slot) => _endpoints[slot];

    /// <summary>The count of slot <paramref name="slot"/>.</summary>
    public ulong CountAt(int slot) => _counts[slot];

    public IEnumerator<KeyValuePair<int, ulong>> GetEnumerator()
    {
        foreach (var (endpoint, slot) in _slots)
        {
            yield return new(endpoint, _counts[slot]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <returns>The hop's slot, made if new and within the bound, or -1.</returns>
    private int Find(string hop, HopTable hops, int maxHops)
    {
        var endpoint = hops.Resolve(hop, out var spelling);
        if (endpoint < 0)
        {
            return -1;
        }

        if (_slots.TryGetValue(endpoint, out var slot))
        {
            return slot;
        }

        if (_slots.Count >= maxHops)
        {
            return -1;
        }

        slot = _slots.Count;
        if (slot == _counts.Length)
        {
            var size = Math.Min(Math.Max(4, slot * 2), Math.Max(maxHops, 4));
            Array.Resize(ref _counts, size);
            Array.Resize(ref _endpoints, size);
            Array.Resize(ref _spellings, size);
        }

        _slots.Add(endpoint, slot);
        _endpoints[slot] = endpoint;
        _spellings[slot] = spelling;
        return slot;
    }
}
