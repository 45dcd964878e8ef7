namespace Mixnet.Directory.Tests.History;

/// <summary>What the client learned of a write.</summary>
public enum WriteOutcome
{
    /// <summary>Acknowledged: it took effect between invocation and response.</summary>
    Ok,

    /// <summary>Refused with a definite status: a refused request changes no state (DESIGN.md §2 Errors).</summary>
    Refused,

    /// <summary>No answer (timeout, transport error): it may or may not have taken effect.</summary>
    Unknown,
}
