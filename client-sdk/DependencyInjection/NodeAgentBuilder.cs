using Microsoft.Extensions.DependencyInjection;

namespace Mixnet.Directory.Client;

/// <summary>Returned by <c>AddNodeAgent</c> so that configuration can be chained.</summary>
public sealed class NodeAgentBuilder
{
    internal NodeAgentBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection the agent is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds more configuration of the agent's options.</summary>
    /// <param name="configure">Changes the options.</param>
    public NodeAgentBuilder Configure(Action<NodeAgentOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }

    /// <summary>Uses this identity instead of loading one from <see cref="NodeAgentOptions.IdentityPath"/>. The caller keeps ownership and disposes it.</summary>
    /// <param name="identity">The node's keys.</param>
    public NodeAgentBuilder UseIdentity(NodeIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        Services.AddSingleton(identity);
        return this;
    }
}
