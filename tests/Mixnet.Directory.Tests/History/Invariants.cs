namespace Mixnet.Directory.Tests.History;

/// <summary>The names the checker gives each invariant.</summary>
public static class Invariants
{
    /// <summary>A snapshot or delta that does not parse or whose signature does not verify.</summary>
    public const string Signature = "signature";

    /// <summary>An observer saw a version older than one it had already seen.</summary>
    public const string Monotonic = "monotonic";

    /// <summary>A fetch with known_version equal to the served version got a snapshot instead of "not modified".</summary>
    public const string NotModified = "not-modified";

    /// <summary>A read started after another read returned saw an older version.</summary>
    public const string MonotonicReads = "monotonic-reads";

    /// <summary>A read started after a write (or heartbeat) returned version V saw an older version.</summary>
    public const string ReadYourWrites = "read-your-writes";

    /// <summary>A watch delta that does not start where the previous message ended, or removes a node that was not there.</summary>
    public const string Contiguous = "contiguous";

    /// <summary>Two observations of the same version (snapshots, or deltas applied) list different nodes.</summary>
    public const string SameVersion = "same-version";

    /// <summary>A read's node set cannot be explained by the writes acknowledged before it and those concurrent with it.</summary>
    public const string Visibility = "visibility";

    /// <summary>A node silent for the TTL plus a sweep is still listed.</summary>
    public const string Expiry = "expiry";
}
