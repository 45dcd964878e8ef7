using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Client;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="NodeAgent"/> that runs with the host.</summary>
public static class NodeAgentServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="NodeAgent"/> and the hosted service that starts it with the host and
    /// deregisters on shutdown. The identity is loaded from <see cref="NodeAgentOptions.IdentityPath"/>,
    /// or generated and saved there on first run, unless one is given with <see cref="NodeAgentBuilder.UseIdentity"/>.
    /// The options are validated when the host starts.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the directory address and the node's descriptor fields.</param>
    public static NodeAgentBuilder AddNodeAgent(this IServiceCollection services, Action<NodeAgentOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = AddNodeAgent(services);
        services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Registers a <see cref="NodeAgent"/> as <see cref="AddNodeAgent(IServiceCollection, Action{NodeAgentOptions})"/>
    /// does, with options bound from <paramref name="configuration"/>, for example
    /// <c>configuration.GetSection("NodeAgent")</c> holding <c>DirectoryAddress</c>, <c>Role</c>,
    /// <c>Layer</c>, <c>Host</c>, <c>MixPort</c>, <c>IdentityPath</c> and so on.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section to bind <see cref="NodeAgentOptions"/> from.</param>
    public static NodeAgentBuilder AddNodeAgent(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = AddNodeAgent(services);
        services.AddOptions<NodeAgentOptions>().Bind(configuration);
        return builder;
    }

    private static NodeAgentBuilder AddNodeAgent(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<NodeAgentOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NodeAgentOptions>, NodeAgentOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            var path = sp.GetRequiredService<IOptions<NodeAgentOptions>>().Value.IdentityPath;
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new InvalidOperationException("NodeAgentOptions.IdentityPath is required unless an identity is given with UseIdentity.");
            }

            return NodeIdentity.LoadOrCreate(path);
        });
        services.TryAddSingleton(sp => new NodeAgent(
            sp.GetRequiredService<NodeIdentity>(),
            sp.GetRequiredService<IOptions<NodeAgentOptions>>().Value,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>()));
        services.AddSingleton<NodeAgentHostedService>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<NodeAgentHostedService>());
        return new NodeAgentBuilder(services);
    }
}
