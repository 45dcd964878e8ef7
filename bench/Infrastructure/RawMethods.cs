using Google.Protobuf;
using Grpc.Core;

namespace Mixnet.Directory.Bench.Infrastructure;

/// <summary>
/// Methods whose responses are counted, not parsed or copied, so the load generator does not spend
/// the shared CPU on megabyte responses it only needs to size (the same for the directory and etcd).
/// </summary>
internal static class RawMethods
{
    /// <summary>
    /// The response's size, read from the gRPC message header. The client still receives every byte
    /// (into its pooled message buffer); what it skips is a new multi-megabyte array per response,
    /// whose large-object collections would otherwise slow the reader and, through flow control,
    /// make the server wake more often per response.
    /// </summary>
    private static readonly Marshaller<ResponseSize> Sizes = new(
        static (_, _) => throw new NotSupportedException(), static context => new ResponseSize(context.PayloadLength));

    public static Method<TRequest, ResponseSize> Unary<TRequest>(string service, string name)
        where TRequest : IMessage<TRequest>, new() =>
        new(MethodType.Unary, service, name, Marshallers.Create(static (TRequest m) => m.ToByteArray(), static _ => throw new NotSupportedException()), Sizes);

    public static Method<TRequest, ResponseSize> ServerStreaming<TRequest>(string service, string name)
        where TRequest : IMessage<TRequest>, new() =>
        new(MethodType.ServerStreaming, service, name, Marshallers.Create(static (TRequest m) => m.ToByteArray(), static _ => throw new NotSupportedException()), Sizes);
}

/// <summary>How many bytes a response message had.</summary>
internal sealed record ResponseSize(int Length);
