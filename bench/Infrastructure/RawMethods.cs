using Google.Protobuf;
using Grpc.Core;

namespace Mixnet.Directory.Bench.Infrastructure;

/// <summary>
/// Methods whose responses arrive as raw bytes, so the load generator does not spend the shared
/// CPU parsing megabyte responses it only needs to count (the same for the directory and etcd).
/// </summary>
internal static class RawMethods
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(static b => b, static b => b);

    public static Method<TRequest, byte[]> Unary<TRequest>(string service, string name)
        where TRequest : IMessage<TRequest>, new() =>
        new(MethodType.Unary, service, name, Marshallers.Create(static (TRequest m) => m.ToByteArray(), static _ => throw new NotSupportedException()), Bytes);

    public static Method<TRequest, byte[]> ServerStreaming<TRequest>(string service, string name)
        where TRequest : IMessage<TRequest>, new() =>
        new(MethodType.ServerStreaming, service, name, Marshallers.Create(static (TRequest m) => m.ToByteArray(), static _ => throw new NotSupportedException()), Bytes);
}
