using System.Collections.Concurrent;

namespace Mixnet.Directory.Server.Domain;

/// <summary>
/// Shares equal short strings (software versions, locations) between descriptors: thousands of
/// nodes run the same version in the same few places. Bounded, so distinct values sent by a
/// hostile caller cannot grow it without limit; past the bound strings are kept as they are.
/// </summary>
internal sealed class StringPool(int capacity)
{
    private readonly ConcurrentDictionary<string, string> _pool = new(StringComparer.Ordinal);

    public string Share(string value)
    {
        if (value.Length == 0)
        {
            return string.Empty;
        }

        if (_pool.TryGetValue(value, out var shared))
        {
            return shared;
        }

        return _pool.Count < capacity ? _pool.GetOrAdd(value, value) : value;
    }
}
