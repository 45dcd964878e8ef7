using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Mixnet.Directory.Server.Errors;

/// <summary>Receives a generated service's methods and adds them with parse-checking request marshallers.</summary>
internal sealed class ParseCheckingServiceBinder<TService>(ServiceMethodProviderContext<TService> context, Type declaringType) : ServiceBinderBase
    where TService : class
{
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, metadata) = Create<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, [typeof(TRequest), typeof(ServerCallContext)]);
        context.AddUnaryMethod(NamedParseMarshaller.Wrap(method), metadata, invoker);
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, metadata) = Create<ServerStreamingServerMethod<TService, TRequest, TResponse>>(
            method.Name, [typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)]);
        context.AddServerStreamingMethod(NamedParseMarshaller.Wrap(method), metadata, invoker);
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, metadata) = Create<ClientStreamingServerMethod<TService, TRequest, TResponse>>(
            method.Name, [typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)]);
        context.AddClientStreamingMethod(NamedParseMarshaller.Wrap(method), metadata, invoker);
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, metadata) = Create<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(
            method.Name, [typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)]);
        context.AddDuplexStreamingMethod(NamedParseMarshaller.Wrap(method), metadata, invoker);
    }

    private (TDelegate Invoker, List<object> Metadata) Create<TDelegate>(string name, Type[] parameters)
        where TDelegate : Delegate
    {
        var handler = FindOverride(name, parameters) ?? throw new InvalidOperationException($"Could not find '{name}' on {typeof(TService)}.");
        var metadata = new List<object>();
        metadata.AddRange(typeof(TService).GetCustomAttributes(inherit: true));
        metadata.AddRange(handler.GetCustomAttributes(inherit: true));
        metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
        return ((TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handler), metadata);
    }

    // The method that overrides the generated base's virtual method (a same-named method that
    // hides it is not the handler), as grpc-dotnet's own binder looks it up.
    private MethodInfo? FindOverride(string name, Type[] parameters)
    {
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            var method = type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance, null, parameters, null);
            if (method is null)
            {
                return null;
            }

            if (method.IsVirtual && method.GetBaseDefinition().DeclaringType == declaringType)
            {
                return method;
            }
        }

        return null;
    }
}
