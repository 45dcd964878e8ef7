using System.Collections.Concurrent;
using Grpc.Core;
using HdrHistogram;
using Mixnet.Directory.Bench.Infrastructure;
using Mixnet.Directory.Bench.Load;
using Mixnet.Directory.Bench.Nodes;
using Mixnet.Directory.Bench.Report;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Bench.Scenarios;

/// <summary>
/// watch: many WatchTopology streams while nodes join and leave at a steady rate. Delivery
/// latency runs from the moment the change's RPC returned to the moment a watcher read the
/// delta that carries it.
/// </summary>
internal static class WatchScenario
{
    private const int StreamsPerConnection = 90;

    public static async Task RunAsync(BenchContext ctx)
    {
        var options = ctx.Options;
        var rate = options.ChangesPerSecond;
        var baseNodes = NodeFactory.Create(options.Nodes);
        var joinsNeeded = (int)((options.Warmup + options.Duration).TotalSeconds * rate) + 200;
        var joins = NodeFactory.Create(joinsNeeded);
        using var server = await ServerProcess.StartAsync(new ServerSettings(MaxNodes: options.Nodes + joinsNeeded + 16), ctx.Token);
        using var setup = new ChannelPool(server.GrpcAddress, 2);
        await Registrar.RegisterAllAsync(setup, baseNodes, ctx.Token);
        var version = await BenchContext.WaitForPublishedVersionAsync(setup, baseNodes.Length, ctx.Token);

        using var channels = new ChannelPool(server.GrpcAddress, (options.Watchers + StreamsPerConnection - 1) / StreamsPerConnection);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ctx.Token);
        var watchers = Enumerable.Range(0, options.Watchers).Select(_ => new Watcher()).ToArray();
        var tasks = watchers.Select((w, i) => w.RunAsync(new TopologyService.TopologyServiceClient(channels[i / StreamsPerConnection]), version, stop.Token)).ToArray();

        var registry = new RegistryService.RegistryServiceClient(setup[0]);
        var leaving = new Queue<BenchNode>(baseNodes);
        var changes = new ConcurrentDictionary<ulong, long>();
        var joinIndex = 0;
        var changeNumber = 0;

        async Task ChangeAsync(bool measured)
        {
            BenchNode node;
            if (changeNumber++ % 2 == 0 || leaving.Count == 0)
            {
                node = joins[joinIndex++ % joins.Length];
                var reply = await registry.RegisterNodeAsync(node.Register, cancellationToken: ctx.Token);
                node.Registered(reply.LeaseToken);
                leaving.Enqueue(node);
            }
            else
            {
                node = leaving.Dequeue();
                await registry.DeregisterNodeAsync(new DeregisterNodeRequest { IdentityKey = node.IdentityKey, LeaseToken = node.LeaseToken }, cancellationToken: ctx.Token);
            }

            if (measured)
            {
                changes[node.Tag] = Clock.Now;
            }
        }

        async Task DriveAsync(TimeSpan length, bool measured)
        {
            var start = Clock.Now;
            for (var i = 0; Clock.Between(start, Clock.Now) < length; i++)
            {
                var due = TimeSpan.FromSeconds((double)i / rate) - Clock.Between(start, Clock.Now);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, ctx.Token);
                }

                await ChangeAsync(measured);
            }
        }

        // Warm-up changes until every watcher has seen a delta, so all streams are attached before the timed part.
        var ready = Clock.Now;
        while (watchers.Any(w => w.Deltas == 0) && Clock.Between(ready, Clock.Now) < TimeSpan.FromSeconds(30))
        {
            await DriveAsync(options.Warmup, measured: false);
        }

        var attached = watchers.Count(w => w.Deltas > 0);
        var cpu0 = server.CpuTime;
        server.ResetPeak();
        var window = Clock.Now;
        await DriveAsync(options.Duration, measured: true);
        var elapsed = Clock.Between(window, Clock.Now);
        var cpu = server.CpuTime - cpu0;
        var peak = server.PeakResidentBytes;
        await Task.Delay(TimeSpan.FromSeconds(1), ctx.Token);
        await stop.CancelAsync();
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30), ctx.Token);

        var latency = new LongHistogram(120_000_000, 3);
        long delivered = 0, early = 0;
        foreach (var watcher in watchers)
        {
            foreach (var (tag, at) in watcher.Events)
            {
                if (changes.TryGetValue(tag, out var returned))
                {
                    delivered++;
                    var micros = Clock.Micros(returned, at);
                    if (micros < 0)
                    {
                        early++;
                    }

                    latency.RecordValue(Math.Clamp(micros, 1, 120_000_000));
                }
            }
        }

        var expected = (long)changes.Count * watchers.Length;
        var fallbacks = watchers.Sum(w => w.FallbackSnapshots);
        var gaps = watchers.Sum(w => w.Gaps);
        var failed = watchers.Count(w => w.Error is not null);
        var p99 = latency.TotalCount == 0 ? double.NaN : latency.GetValueAtPercentile(99) / 1000.0;
        var report = new ScenarioReport("watch", $"{watchers.Length:N0} `TopologyService/WatchTopology` streams (attached with `known_version` = current, so no initial snapshot) over {channels.Count} connections, while nodes join and leave at {rate}/s against {baseNodes.Length:N0} base nodes. Latency: change RPC returned → delta read by a watcher (includes the server's 100 ms batch window).");
        report.Settings.Add($"fresh directory; {server.Description}");
        report.AddTable(
            ["watchers (attached)", "changes timed", "deliveries / expected", "p50 ms", "p90 ms", "p99 ms", "max ms", "fallback snapshots", "version gaps", "streams failed", "server CPU (cores)", "server peak RSS MB"],
            [[
                $"{watchers.Length:N0} ({attached:N0})", ScenarioReport.F(changes.Count), $"{delivered:N0} / {expected:N0}",
                ScenarioReport.F(latency.GetValueAtPercentile(50) / 1000.0, 1), ScenarioReport.F(latency.GetValueAtPercentile(90) / 1000.0, 1), ScenarioReport.F(p99, 1),
                ScenarioReport.F(latency.GetMaxValue() / 1000.0, 1), ScenarioReport.F(fallbacks), ScenarioReport.F(gaps), ScenarioReport.F(failed),
                ScenarioReport.F(cpu.TotalSeconds / elapsed.TotalSeconds, 2), ScenarioReport.F(peak / 1048576.0, 1),
            ]]);
        if (early > 0)
        {
            report.Notes.Add($"{early} deliveries arrived before the change's RPC had returned to the bench (counted as 0 ms).");
        }

        if (watchers.FirstOrDefault(w => w.Error is not null) is { } broken)
        {
            report.Notes.Add($"first stream error: {broken.Error}");
        }

        report.Target("p99 delta delivery ≤ 250 ms after the change", $"{p99:F1} ms", delivered > 0 ? p99 <= 250 : null);
        report.Target("no watcher falls back to a snapshot (and none misses a change)", $"{fallbacks} fallbacks, {expected - delivered:N0} missed deliveries", fallbacks == 0 && delivered >= expected && failed == 0);
        ctx.Add(report);
    }

    /// <summary>One watch stream: when each change arrived, and anything that went wrong.</summary>
    private sealed class Watcher
    {
        public List<(ulong Tag, long At)> Events { get; } = [];

        public int Deltas { get; private set; }

        public int FallbackSnapshots { get; private set; }

        public int Gaps { get; private set; }

        public string? Error { get; private set; }

        public async Task RunAsync(TopologyService.TopologyServiceClient client, ulong knownVersion, CancellationToken cancellationToken)
        {
            var messages = 0;
            var position = knownVersion;
            try
            {
                using var call = client.WatchTopology(new WatchTopologyRequest { KnownVersion = knownVersion }, cancellationToken: cancellationToken);
                await foreach (var update in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    var at = Clock.Now;
                    if (update.UpdateCase == WatchTopologyResponse.UpdateOneofCase.Snapshot)
                    {
                        if (messages > 0)
                        {
                            FallbackSnapshots++;
                        }

                        position = TopologySnapshot.Parser.ParseFrom(update.Snapshot.Topology).Version;
                    }
                    else
                    {
                        var delta = TopologyDelta.Parser.ParseFrom(update.Delta.Delta);
                        if (delta.FromVersion != position)
                        {
                            Gaps++;
                        }

                        position = delta.ToVersion;
                        foreach (var node in delta.Upserted)
                        {
                            Events.Add((BitConverter.ToUInt64(node.IdentityKey.Span[..8]), at));
                        }

                        foreach (var removed in delta.Removed)
                        {
                            Events.Add((BitConverter.ToUInt64(removed.Span[..8]), at));
                        }

                        Deltas++;
                    }

                    messages++;
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
