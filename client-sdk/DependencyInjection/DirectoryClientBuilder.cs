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
}
