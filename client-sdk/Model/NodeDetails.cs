namespace Mixnet.Directory.Client;

/// <summary>One registered node, with the directory's bookkeeping.</summary>
/// <param name="Node">The node's descriptor.</param>
/// <param name="RegisteredAt">When the current registration was made.</param>
/// <param name="LastSeen">The node's last heartbeat or registration.</param>
public sealed record NodeDetails(NodeInfo Node, DateTimeOffset RegisteredAt, DateTimeOffset LastSeen)
{
    /// <summary>The directory's quality scores for the node; null until it has been scored.</summary>
    public NodeQuality? Quality { get; init; }
}
