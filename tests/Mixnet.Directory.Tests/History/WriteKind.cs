namespace Mixnet.Directory.Tests.History;

/// <summary>A client request that can change (or renew) a node's membership.</summary>
public enum WriteKind
{
    Register,
    Heartbeat,
    Deregister,
    Ban,
    Unban,
}
