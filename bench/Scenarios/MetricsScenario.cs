using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using HdrHistogram;
using Mixnet.Directory.Bench.Infrastructure;
using Mixnet.Directory.Bench.Load;
using Mixnet.Directory.Bench.Nodes;
using Mixnet.Directory.Bench.Report;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Bench.Scenarios;

/// <summary>
/// metrics: every node reports once a second (paced) while unfiltered subscribers stream the
/// frames. Lag runs from a frame's window_end to the moment a subscriber read it (one clock).
/// </summary>
internal static class MetricsScenario
{
    /// <summary>One connection per subscriber, as dashboards on different machines would have (--subscribers-per-connection to change).</summary>

    public static async Task RunAsync(BenchContext ctx)
    {
        var options = ctx.Options;
        var nodes = NodeFactory.Create(options.MetricsNodes);
        using var server = await ServerProcess.StartAsync(new ServerSettings(MaxNodes: nodes.Length + 16), ctx.Token);
        using var channels = new ChannelPool(server.GrpcAddress, options.Unary.Connections);
        await Registrar.RegisterAllAsync(channels, nodes, ctx.Token);
        var requests = nodes.Select((n, i) => new ReportMetricsRequest
        {
            IdentityKey = n.IdentityKey,
            LeaseToken = n.LeaseToken,
            Received = 1_000,
            Sent = { [$"node{(i + 1) % nodes.Length}.mixnet-bench.example:1789"] = 600, [$"node{(i + 2) % nodes.Length}.mixnet-bench.example:1789"] = 400 },
        }).ToArray();

        using var subscriberChannels = new ChannelPool(server.GrpcAddress, (options.Subscribers + options.SubscribersPerConnection - 1) / options.SubscribersPerConnection, options.SubscriberStreamWindow);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ctx.Token);
        var method = new Method<StreamMetricsRequest, FrameSummary>(
            MethodType.ServerStreaming, "mixnet.directory.v1.MetricsService", "StreamMetrics",
            Marshallers.Create(static (StreamMetricsRequest m) => m.ToByteArray(), static _ => throw new NotSupportedException()),
            new Marshaller<FrameSummary>(static (_, _) => throw new NotSupportedException(), static context => FrameSummary.Read(context.PayloadAsReadOnlySequence())));
        var subscribers = Enumerable.Range(0, options.Subscribers).Select(_ => new Subscriber()).ToArray();
        var tasks = subscribers.Select((s, i) => s.RunAsync(subscriberChannels[i / options.SubscribersPerConnection].CreateCallInvoker(), method, stop.Token)).ToArray();

        var clients = CoreScenarios.Clients(channels, c => new MetricsService.MetricsServiceClient(c));
        var wallStart = DateTimeOffset.UtcNow + options.Warmup;
        var result = await LoadRunner.PacedAsync(
            "ReportMetrics (every node once a second)", () => server.Pid, () => server.CpuTime, nodes.Length, channels.Count, 4096, options.Warmup, options.Duration,
            async (call, ct) =>
            {
                await clients[call.Worker % clients.Length].ReportMetricsAsync(requests[call.Sequence % requests.Length], cancellationToken: ct);
                return true;
            }, ctx.Token);
        var wallEnd = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(1.5), ctx.Token);
        await stop.CancelAsync();
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30), ctx.Token);

        // The frames closed inside the timed window, as seen by any subscriber.
        var from = wallStart.ToUnixTimeMilliseconds() * 1000;
        var to = wallEnd.ToUnixTimeMilliseconds() * 1000;
        var frames = subscribers.SelectMany(s => s.Frames).Where(f => f.WindowEndMicros >= from && f.WindowEndMicros <= to).ToList();
        var expectedFrames = frames.Select(f => f.WindowEndMicros).Distinct().Count();
        var lag = new LongHistogram(120_000_000, 3);
        foreach (var frame in frames)
        {
            lag.RecordValue(Math.Clamp(frame.ReceivedMicros - frame.WindowEndMicros, 1, 120_000_000));
        }

        var incomplete = subscribers.Count(s => s.Frames.Count(f => f.WindowEndMicros >= from && f.WindowEndMicros <= to) < expectedFrames);
        var dropped = subscribers.Sum(s => (long)s.MaxDropped);
        var failed = subscribers.Count(s => s.Error is not null);
        var nodesPerFrame = frames.Count == 0 ? 0 : frames.Average(f => f.Nodes);
        var p99 = lag.TotalCount == 0 ? double.NaN : lag.GetValueAtPercentile(99) / 1000.0;

        var report = new ScenarioReport("metrics", $"{nodes.Length:N0} nodes each calling `MetricsService/ReportMetrics` once a second (paced, two next hops each) while {subscribers.Length} unfiltered `StreamMetrics` subscribers read every frame (1 s windows). Lag: frame `window_end` → read by a subscriber.");
        var window = options.SubscriberStreamWindow is { } w ? $"{w / 1024:N0} KiB HTTP/2 stream window (as the SDK's DirectoryClient)" : "the client's default 64 KiB stream window";
        report.Settings.Add($"fresh directory; {server.Description}; subscribers over {subscriberChannels.Count} connections, {window}, each frame read in place (no copy per frame)");
        report.AddLoad(result);
        report.AddTable(
            ["subscribers", "frames in window", "frames read", "nodes per frame (avg)", "lag min ms", "lag p50 ms", "lag p99 ms", "lag max ms", "subscribers missing a frame", "dropped_frames", "streams failed"],
            [[
                ScenarioReport.F(subscribers.Length), ScenarioReport.F(expectedFrames), ScenarioReport.F(frames.Count), ScenarioReport.F(nodesPerFrame),
                ScenarioReport.F(lag.TotalCount == 0 ? double.NaN : lag.GetValueAtPercentile(0) / 1000.0, 1), ScenarioReport.F(lag.GetValueAtPercentile(50) / 1000.0, 1), ScenarioReport.F(p99, 1), ScenarioReport.F(lag.GetMaxValue() / 1000.0, 1),
                ScenarioReport.F(incomplete), ScenarioReport.F(dropped), ScenarioReport.F(failed),
            ]]);
        if (subscribers.FirstOrDefault(s => s.Error is not null) is { } broken)
        {
            report.Notes.Add($"first stream error: {broken.Error}");
        }

        report.Target("every frame to every subscriber", $"{incomplete} of {subscribers.Length} missed a frame, {dropped} dropped", expectedFrames > 0 ? incomplete == 0 && dropped == 0 && failed == 0 : null);
        report.Target("p99 lag ≤ 100 ms after the window closes", $"{p99:F1} ms", expectedFrames > 0 ? p99 <= 100 : null);
        report.Target("server CPU ≤ 1 core", $"{result.ServerCores:F2} cores at {result.Rps:N0} reports/s", result.ServerCores <= 1.0);
        ctx.Add(report);
    }

    /// <summary>One frame as a subscriber saw it.</summary>
    private readonly record struct Frame(long WindowEndMicros, long ReceivedMicros, int Nodes);

    /// <summary>
    /// The fields of a frame the scenario checks, read straight from the received message buffer:
    /// a subscriber that copied every 450 KB frame into a new array would spend the shared cores on
    /// large-object garbage collections in the load generator, not in the directory.
    /// </summary>
    private sealed record FrameSummary(long WindowEndMicros, int Nodes, ulong DroppedFrames)
    {
        public static FrameSummary Read(System.Buffers.ReadOnlySequence<byte> payload)
        {
            // grpc-dotnet hands over one contiguous (pooled) buffer per message; read it in place.
            if (payload.IsSingleSegment && System.Runtime.InteropServices.MemoryMarshal.TryGetArray(payload.First, out var segment) && segment.Array is { } array)
            {
                return Read(new CodedInputStream(array, segment.Offset, segment.Count));
            }

            return Read(new CodedInputStream(System.Buffers.BuffersExtensions.ToArray(payload)));
        }

        private static FrameSummary Read(CodedInputStream input)
        {
            long windowEnd = 0;
            var nodes = 0;
            ulong dropped = 0;
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case StreamMetricsResponse.WindowEndFieldNumber:
                        var timestamp = new Timestamp();
                        input.ReadMessage(timestamp);
                        windowEnd = (timestamp.Seconds * 1_000_000) + (timestamp.Nanos / 1000);
                        break;
                    case StreamMetricsResponse.NodesFieldNumber:
                        nodes++;
                        input.SkipLastField();
                        break;
                    case StreamMetricsResponse.DroppedFramesFieldNumber:
                        dropped = input.ReadUInt64();
                        break;
                    default:
                        input.SkipLastField();
                        break;
                }
            }

            return new FrameSummary(windowEnd, nodes, dropped);
        }
    }

    private sealed class Subscriber
    {
        public List<Frame> Frames { get; } = [];

        public ulong MaxDropped { get; private set; }

        public string? Error { get; private set; }

        public async Task RunAsync(CallInvoker invoker, Method<StreamMetricsRequest, FrameSummary> method, CancellationToken cancellationToken)
        {
            try
            {
                using var call = invoker.AsyncServerStreamingCall(method, null, new CallOptions(cancellationToken: cancellationToken), new StreamMetricsRequest());
                await foreach (var frame in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    var received = DateTimeOffset.UtcNow;
                    Frames.Add(new Frame(frame.WindowEndMicros, (received.Ticks - DateTimeOffset.UnixEpoch.Ticks) / 10, frame.Nodes));
                    MaxDropped = Math.Max(MaxDropped, frame.DroppedFrames);
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (RpcException ex)
            {
                Error = $"{ex.StatusCode}: {ex.Status.Detail}";
            }
        }
    }
}
