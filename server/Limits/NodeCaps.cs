using Mixnet.Directory.Server.Errors;

namespace Mixnet.Directory.Server.Limits;

/// <summary>How many identities the registry and each host may hold (<c>Directory:MaxNodes</c>, <c>Directory:MaxNodesPerHost</c>).</summary>
internal static class NodeCaps
{
    public static void ThrowIfFull(int registered, int maxNodes)
    {
        if (registered >= maxNodes)
        {
            throw new DirectoryException(DirectoryErrorKind.ResourceExhausted, "descriptor",
                $"the directory is full ({maxNodes} nodes, Directory:MaxNodes)");
        }
    }

    /// <summary>Refuses one more identity on a host that has <paramref name="onHost"/> already; 0 turns the cap off.</summary>
    public static void ThrowIfHostFull(int onHost, int maxNodesPerHost, TimeSpan retryAfter)
    {
        if (maxNodesPerHost > 0 && onHost >= maxNodesPerHost)
        {
            throw new DirectoryException(DirectoryErrorKind.ResourceExhausted, "descriptor.host",
                $"descriptor.host already has {onHost} live identities (Directory:MaxNodesPerHost is {maxNodesPerHost})",
                retryAfter);
        }
    }

    /// <summary>Refuses one more identity from a caller network (IPv4 address or IPv6 /64) that registered <paramref name="fromCaller"/> already; 0 turns the cap off.</summary>
    public static void ThrowIfCallerFull(int fromCaller, int maxNodesPerHost, TimeSpan retryAfter)
    {
        if (maxNodesPerHost > 0 && fromCaller >= maxNodesPerHost)
        {
            throw new DirectoryException(DirectoryErrorKind.ResourceExhausted, "descriptor.host",
                $"descriptor.host: this caller's address (IPv6: its /64) already registered {fromCaller} live identities (Directory:MaxNodesPerHost is {maxNodesPerHost})",
                retryAfter);
        }
    }
}
