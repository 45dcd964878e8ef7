using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Client;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="DirectoryClient"/>.</summary>
public static class DirectoryClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="DirectoryClient"/> (a singleton that owns its channel and is
    /// disposed with the container), configured by <paramref name="configure"/>. The options are
    /// validated when the host starts.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets at least <see cref="DirectoryClientOptions.Address"/>.</param>
    public static DirectoryClientBuilder AddDirectoryClient(this IServiceCollection services, Action<DirectoryClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = AddDirectoryClient(services);
        services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Registers one <see cref="DirectoryClient"/> with options bound from <paramref name="configuration"/>,
    /// for example <c>configuration.GetSection("DirectoryClient")</c> holding <c>Address</c>,
    /// <c>PinnedDirectoryKey</c> (base64), <c>CallTimeout</c> and so on. The options are validated when the host starts.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section to bind <see cref="DirectoryClientOptions"/> from.</param>
    public static DirectoryClientBuilder AddDirectoryClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = AddDirectoryClient(services);
        services.AddOptions<DirectoryClientOptions>().Bind(configuration);
        return builder;
    }

    private static DirectoryClientBuilder AddDirectoryClient(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<DirectoryClientOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DirectoryClientOptions>, DirectoryClientOptionsValidator>());
        services.AddSingleton(sp => new DirectoryClient(
            sp.GetRequiredService<IOptions<DirectoryClientOptions>>().Value,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>()));
        return new DirectoryClientBuilder(services);
    }
}
