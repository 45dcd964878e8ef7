using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Infrastructure;

/// <summary>Resolves Spectre.Console.Cli's types from the service provider, and disposes it with the app.</summary>
public sealed class TypeResolver(IServiceProvider provider) : ITypeResolver, IDisposable
{
    public object? Resolve(Type? type) => type is null ? null : provider.GetService(type);

    public void Dispose() => (provider as IDisposable)?.Dispose();
}
