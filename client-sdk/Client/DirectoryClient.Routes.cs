using Mixnet.Directory.Client.Internal;

namespace Mixnet.Directory.Client;

/// <summary>Route selection.</summary>
public sealed partial class DirectoryClient
{
    /// <summary>
    /// Picks a route: one mixnode per layer and an entry and an exit gateway, each uniformly at
    /// random and independently (entry and exit may be the same gateway).
    /// </summary>
    /// <param name="topology">A verified topology.</param>
    /// <param name="random">The randomness; a cryptographically secure generator when null. Pass a seeded one only for tests.</param>
    /// <exception cref="InvalidOperationException">A layer or the gateway list is empty.</exception>
    public static Route SelectRoute(Topology topology, Random? random = null) => RouteSelector.Select(topology, random ?? SecureRandom.Instance, null);

    /// <summary>Picks a route as <see cref="SelectRoute(Topology, Random?)"/> does, never using an excluded node.</summary>
    /// <param name="topology">A verified topology.</param>
    /// <param name="random">The randomness; a cryptographically secure generator when null.</param>
    /// <param name="excluded">Identity keys of nodes not to use (for example ones that failed recently).</param>
    /// <exception cref="InvalidOperationException">A layer or the gateway list has no node left.</exception>
    public static Route SelectRoute(Topology topology, Random? random, IEnumerable<ReadOnlyMemory<byte>> excluded)
    {
        ArgumentNullException.ThrowIfNull(excluded);
        var set = new HashSet<KeyId>();
        foreach (var key in excluded)
        {
            set.Add(KeyId.From(key.Span));
        }

        return RouteSelector.Select(topology, random ?? SecureRandom.Instance, set);
    }
}
