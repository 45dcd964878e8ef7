namespace Mixnet.Directory.Client;

/// <summary>A <see cref="NodeAgent"/>'s standing with one directory authority.</summary>
/// <param name="Address">The directory's address (null for an agent given a call invoker).</param>
/// <param name="State">Where the agent is with this directory; <see cref="NodeAgent.State"/> is the best of them.</param>
/// <param name="Lease">The lease this directory granted (without its token), or null while not registered there.</param>
/// <param name="RegistrationCount">How many times this directory registered the node.</param>
public sealed record DirectoryStatus(Uri? Address, NodeAgentState State, LeaseInfo? Lease, long RegistrationCount);
