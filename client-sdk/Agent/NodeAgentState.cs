namespace Mixnet.Directory.Client;

/// <summary>Where a <see cref="NodeAgent"/> is in its life.</summary>
public enum NodeAgentState
{
    /// <summary>Created or started, not registered yet.</summary>
    Starting,

    /// <summary>Registered and heartbeating: the node is listed.</summary>
    Registered,

    /// <summary>The directory cannot be reached or refused for now; the agent keeps trying.</summary>
    Reconnecting,

    /// <summary>Stopped by the owner.</summary>
    Stopped,

    /// <summary>The directory refused the node for good (invalid descriptor, banned); see <see cref="NodeAgent.Fault"/>.</summary>
    Failed,
}
