using Google.Protobuf;
using Grpc.Core;

namespace Mixnet.Directory.Server.Errors;

/// <summary>
/// Wraps a request marshaller so bytes that do not parse answer INVALID_ARGUMENT naming the
/// message ("request is not a valid HeartbeatRequest"). Without it grpc-dotnet answers UNKNOWN
/// ("Exception was thrown by handler") and logs an error with a stack trace for every such
/// request. The success path is the same delegate call it always was.
/// </summary>
internal static class NamedParseMarshaller
{
    public static Marshaller<T> Wrap<T>(Marshaller<T> inner)
    {
        var deserialize = inner.ContextualDeserializer;
        var message = $"request is not a valid {typeof(T).Name}";
        return new Marshaller<T>(inner.ContextualSerializer, context =>
        {
            try
            {
                return deserialize(context);
            }
            catch (InvalidProtocolBufferException ex)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"{message} ({ex.Message})"));
            }
        });
    }

    public static Method<TRequest, TResponse> Wrap<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class =>
        new(method.Type, method.ServiceName, method.Name, Wrap(method.RequestMarshaller), method.ResponseMarshaller);
}
