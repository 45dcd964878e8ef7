namespace Mixnet.Directory.Tests.History.Model;

/// <summary>What one step of a model run does; simpler steps first, so shrinking prefers them.</summary>
public enum ModelOpKind
{
    /// <summary>A fresh registration with the node's current fields (a restart).</summary>
    Register,

    /// <summary>A fresh registration with new fields (version and location).</summary>
    ReRegister,

    Heartbeat,
    Deregister,
    Ban,
    Unban,

    /// <summary>Re-sends one of the node's earlier accepted registrations, byte for byte.</summary>
    Replay,

    /// <summary>Advances the clock by (Arg + 1) heartbeat intervals, without a sweep.</summary>
    Advance,

    /// <summary>Runs the expiry sweep now.</summary>
    Sweep,

    /// <summary>Advances the clock past TTL + a sweep interval, then sweeps.</summary>
    Expire,
}
