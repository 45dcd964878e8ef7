using Microsoft.Extensions.Hosting;

namespace Mixnet.Directory.Client;

/// <summary>Runs a <see cref="NodeAgent"/> for the host's life: starts it with the host, deregisters on shutdown.</summary>
/// <param name="agent">The agent to run.</param>
public sealed class NodeAgentHostedService(NodeAgent agent) : IHostedService
{
    /// <summary>The agent this service runs.</summary>
    public NodeAgent Agent { get; } = agent;

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken) => Agent.StartAsync(cancellationToken);

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Agent.StopAsync(cancellationToken);
}
