using Mixnet.Directory.Client.Internal;

namespace Mixnet.Directory.Client;

/// <summary>Route selection.</summary>
public sealed partial class DirectoryClient
{
    /// <summary>
    /// Picks a route: one mixnode per layer and an entry and an exit gateway, each independently
    /// (entry and exit may be the same gateway), with <see cref="RouteSelectionOptions.Default"/>:
    /// nodes the directory excluded or scored below 0.5 are skipped, the rest weighted by
    /// reliability². A topology without quality scores gives a uniform choice.
    /// </summary>
    /// <param name="topology">A verified topology.</param>
    /// <param name="random">The randomness; a cryptographically secure generator when null. Pass a seeded one only for tests.</param>
    /// <exception cref="InvalidOperationException">A layer or the gateway list is empty.</exception>
    public static Route SelectRoute(Topology topology, Random? random = null) =>
        RouteSelector.Select(topology, random ?? SecureRandom.Instance, null, RouteSelectionOptions.Default);

    /// <summary>Picks a route as <see cref="SelectRoute(Topology, Random?)"/> does, never using an excluded node.</summary>
    /// <param name="topology">A verified topology.</param>
    /// <param name="random">The randomness; a cryptographically secure generator when null.</param>
    /// <param name="excluded">Identity keys of nodes not to use (for example ones that failed recently).</param>
    /// <exception cref="InvalidOperationException">A layer or the gateway list has no node left.</exception>
    public static Route SelectRoute(Topology topology, Random? random, IEnumerable<ReadOnlyMemory<byte>> excluded)
    {
        ArgumentNullException.ThrowIfNull(excluded);
        return SelectRoute(topology, RouteSelectionOptions.Default, random, excluded);
    }

    /// <summary>Picks a route using the directory's quality scores as <paramref name="options"/> say.</summary>
    /// <param name="topology">A verified topology.</param>
    /// <param name="options">Threshold and weighting; <see cref="RouteSelectionOptions.Uniform"/> ignores quality.</param>
    /// <param name="random">The randomness; a cryptographically secure generator when null.</param>
    /// <param name="excluded">Identity keys of nodes not to use, or null.</param>
    /// <exception cref="InvalidOperationException">A layer or the gateway list has no node left.</exception>
    public static Route SelectRoute(Topology topology, RouteSelectionOptions options, Random? random = null, IEnumerable<ReadOnlyMemory<byte>>? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        HashSet<KeyId>? set = null;
        if (excluded is not null)
        {
            set = [];
            foreach (var key in excluded)
            {
                set.Add(KeyId.From(key.Span));
            }
        }

        return RouteSelector.Select(topology, random ?? SecureRandom.Instance, set, options);
    }
}
