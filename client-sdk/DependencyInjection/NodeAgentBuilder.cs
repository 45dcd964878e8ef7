using Grpc.Core.Interceptors;
using Grpc.Net.Client;
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

    /// <summary>Changes the settings of the channel the agent creates, after the SDK's own (see <see cref="NodeAgentOptions.ConfigureChannel"/>).</summary>
    /// <param name="configure">Changes the channel options, for example the HTTP handler or credentials.</param>
    public NodeAgentBuilder ConfigureChannel(Action<GrpcChannelOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Configure(o => o.ConfigureChannel += configure);
    }

    /// <summary>Adds an interceptor every call goes through, after those added before it (see <see cref="NodeAgentOptions.Interceptors"/>).</summary>
    /// <param name="interceptor">The interceptor.</param>
    public NodeAgentBuilder AddInterceptor(Interceptor interceptor)
    {
        ArgumentNullException.ThrowIfNull(interceptor);
        return Configure(o => o.Interceptors.Add(interceptor));
    }
}
