namespace Mixnet.Directory.Client.Internal;

/// <summary>A node agent's answer to a failed call.</summary>
internal enum AgentReaction
{
    /// <summary>Back off and try the same call again.</summary>
    Retry,

    /// <summary>The lease is gone: register again at once.</summary>
    Reregister,

    /// <summary>The directory refused for a reason that may pass (clock skew, endpoint held): log an error, back off.</summary>
    Refused,

    /// <summary>The directory will never accept this node as configured: stop.</summary>
    Fatal,
}
