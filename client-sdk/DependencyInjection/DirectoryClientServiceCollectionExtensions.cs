using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Client;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="DirectoryClient"/>.</summary>
public static class DirectoryClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="DirectoryClient"/> (a singleton that owns its channel and is
    /// disposed with the container), configured by <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets at least <see cref="DirectoryClientOptions.Address"/>.</param>
    public static DirectoryClientBuilder AddDirectoryClient(this IServiceCollection services, Action<DirectoryClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<DirectoryClientOptions>().Configure(configure);
        services.AddSingleton(sp => new DirectoryClient(
            sp.GetRequiredService<IOptions<DirectoryClientOptions>>().Value,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>()));
        return new DirectoryClientBuilder(services);
    }
}
