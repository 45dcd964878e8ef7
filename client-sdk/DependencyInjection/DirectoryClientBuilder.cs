using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Mixnet.Directory.Client;

/// <summary>Returned by <c>AddDirectoryClient</c> so that configuration can be chained.</summary>
public sealed class DirectoryClientBuilder
{
    internal DirectoryClientBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection the client is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds more configuration of the client's options.</summary>
    /// <param name="configure">Changes the options.</param>
    public DirectoryClientBuilder Configure(Action<DirectoryClientOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }

    /// <summary>Changes the settings of the channel the client creates, after the SDK's own (see <see cref="DirectoryClientOptions.ConfigureChannel"/>).</summary>
    /// <param name="configure">Changes the channel options, for example the HTTP handler or credentials.</param>
    public DirectoryClientBuilder ConfigureChannel(Action<GrpcChannelOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Configure(o => o.ConfigureChannel += configure);
    }

    /// <summary>Adds an interceptor every call goes through, after those added before it (see <see cref="DirectoryClientOptions.Interceptors"/>).</summary>
    /// <param name="interceptor">The interceptor.</param>
    public DirectoryClientBuilder AddInterceptor(Interceptor interceptor)
    {
        ArgumentNullException.ThrowIfNull(interceptor);
        return Configure(o => o.Interceptors.Add(interceptor));
    }
}
