namespace Mixnet.Directory.Cli.Commands;

/// <summary>What <see cref="NodeLeaseCommand"/> does with the lease; the command's data in <see cref="CliApp"/>.</summary>
public enum LeaseCall
{
    /// <summary><c>node heartbeat</c>: renew the lease once.</summary>
    Heartbeat,

    /// <summary><c>node deregister</c>: leave the topology at once.</summary>
    Deregister,
}
