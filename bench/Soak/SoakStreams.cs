using Grpc.Core;
using Mixnet.Directory.Bench.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Bench.Soak;

/// <summary>
/// Watchers and unfiltered metrics subscribers that stay attached for the whole soak, counting
/// what they read and reconnecting (after 1 s) when the stream breaks, as the SDK's clients do.
/// Messages are counted by size, not parsed, so the bench spends its CPU on the directory.
/// </summary>
internal sealed class SoakStreams
{
    private static readonly Method<WatchTopologyRequest, ResponseSize> Watch = RawMethods.ServerStreaming<WatchTopologyRequest>("mixnet.directory.v1.TopologyService", "WatchTopology");
    private static readonly Method<StreamMetricsRequest, ResponseSize> Stream = RawMethods.ServerStreaming<StreamMetricsRequest>("mixnet.directory.v1.MetricsService", "StreamMetrics");

    private long _messages;
    private long _bytes;
    private long _reconnects;

    public long Messages => Interlocked.Read(ref _messages);

    public long Bytes => Interlocked.Read(ref _bytes);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    public Task WatchAsync(CallInvoker invoker, CancellationToken ct) => RunAsync(invoker, Watch, new WatchTopologyRequest(), ct);

    public Task SubscribeAsync(CallInvoker invoker, CancellationToken ct) => RunAsync(invoker, Stream, new StreamMetricsRequest(), ct);

    private async Task RunAsync<TRequest>(CallInvoker invoker, Method<TRequest, ResponseSize> method, TRequest request, CancellationToken ct)
        where TRequest : class, Google.Protobuf.IMessage<TRequest>, new()
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                using var call = invoker.AsyncServerStreamingCall(method, null, new CallOptions(cancellationToken: ct), request);
                await foreach (var size in call.ResponseStream.ReadAllAsync(ct))
                {
                    Interlocked.Increment(ref _messages);
                    Interlocked.Add(ref _bytes, size.Length);
                }
            }
            catch (RpcException) when (!ct.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException) when (ct.IsCancellationRequested)
            {
                return;
            }

            Interlocked.Increment(ref _reconnects);
            await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
