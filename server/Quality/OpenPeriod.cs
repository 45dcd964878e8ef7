using System.Collections.Concurrent;
using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Server.Quality;

/// <summary>The period reports add to: one box per reporting node, and the hop table the boxes' endpoint numbers refer to.</summary>
internal sealed class OpenPeriod(HopTable hops)
{
    public HopTable Hops { get; } = hops;

    public ConcurrentDictionary<NodeId, HopCountsBox> Boxes { get; } = new();
}
