using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Mixnet.Directory.Server.Errors;

/// <summary>
/// Binds every generated gRPC service (ours, health, reflection) as grpc-dotnet's own binder
/// does, from the <see cref="BindServiceMethodAttribute"/> of its base class, but with request
/// marshallers that name the message when its bytes do not parse (<see cref="NamedParseMarshaller"/>).
/// It replaces grpc-dotnet's binder provider, so each method is bound once.
/// </summary>
internal sealed class ParseCheckingServiceMethodProvider<TService> : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is not { } bind)
            {
                continue;
            }

            var bindMethod = bind.BindType.GetMethod(bind.BindMethodName, BindingFlags.Public | BindingFlags.Static, [typeof(ServiceBinderBase), type])
                ?? throw new InvalidOperationException($"{bind.BindType}.{bind.BindMethodName} was not found.");
            bindMethod.Invoke(null, [new ParseCheckingServiceBinder<TService>(context, type), null]);
            return;
        }
    }
}
