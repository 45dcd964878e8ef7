using System.Buffers;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Metrics;

/// <summary>
/// Binds MetricsService with the contract's method names, and a response marshaller for
/// StreamMetrics that copies shared frame bytes instead of serializing a message per subscriber.
/// Clients see the ordinary StreamMetricsResponse on the wire.
/// </summary>
internal sealed class MetricsServiceMethodProvider : IServiceMethodProvider<MetricsGrpcService>
{
    private const string ServiceName = "mixnet.directory.v1.MetricsService";

    private static readonly Method<ReportMetricsRequest, ReportMetricsResponse> ReportMethod = new(
        MethodType.Unary, ServiceName, "ReportMetrics", NamedParseMarshaller.Wrap(ProtoMarshaller(ReportMetricsRequest.Parser)), ProtoMarshaller(ReportMetricsResponse.Parser));

    private static readonly Method<StreamMetricsRequest, EncodedFrame> StreamMethod = new(
        MethodType.ServerStreaming, ServiceName, "StreamMetrics", NamedParseMarshaller.Wrap(ProtoMarshaller(StreamMetricsRequest.Parser)), new Marshaller<EncodedFrame>(WriteFrame, ReadFrameUnsupported));

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<MetricsGrpcService> context)
    {
        context.AddUnaryMethod(ReportMethod, [], (service, request, call) => service.ReportMetrics(request, call));
        context.AddServerStreamingMethod(StreamMethod, [], (service, request, stream, call) => service.StreamMetrics(request, stream, call));
    }

    private static Marshaller<T> ProtoMarshaller<T>(MessageParser<T> parser)
        where T : IMessage<T> =>
        new(
            static (message, context) =>
            {
                context.SetPayloadLength(message.CalculateSize());
                message.WriteTo(context.GetBufferWriter());
                context.Complete();
            },
            context => parser.ParseFrom(context.PayloadAsReadOnlySequence()));

    private static void WriteFrame(EncodedFrame frame, SerializationContext context)
    {
        context.SetPayloadLength(frame.Body.Length + MetricsFrameEncoder.SubscriberTrailerLength(frame.DroppedFrames));
        var writer = context.GetBufferWriter();
        writer.Write(frame.Body.Span);
        MetricsFrameEncoder.WriteSubscriberTrailer(writer, frame.DroppedFrames);
        context.Complete();
    }

    private static EncodedFrame ReadFrameUnsupported(DeserializationContext context) =>
        throw new NotSupportedException("The server only writes metrics frames.");
}
