using System.Diagnostics;
using Mixnet.Directory.Bench.Infrastructure;
using Mixnet.Directory.Bench.Nodes;
using Mixnet.Directory.Bench.Report;
using Mixnet.Directory.Bench.Soak;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Bench.Scenarios;

/// <summary>
/// soak: a live network held for a long time. --soak-nodes simulated nodes (SoakAgent: the SDK
/// agent's policy) heartbeat, report metrics every next_report_in and churn (one joins, one
/// leaves, alternately, at --churn changes/s) while watchers and metrics subscribers stay
/// attached. The directory's RSS and GC figures are sampled throughout; its live heap is read
/// after induced full collections. Halfway through, the directory is killed with SIGKILL,
/// restarted on the same ports and data directory after --outage seconds, and the time until
/// every agent is listed in the topology again is measured.
/// </summary>
internal static class SoakScenario
{
    private const double TargetLiveBytesPerNode = 2 * 1024;

    public static async Task RunAsync(BenchContext ctx)
    {
        var o = ctx.Options;
        var count = o.SoakNodes;
        var duration = o.SoakDuration;
        var warmup = o.SoakWarmup;
        var sampleEvery = TimeSpan.FromSeconds(o.Quick ? 1 : 10);
        var joinsNeeded = (int)(duration.TotalSeconds * o.Churn / 2) + 16;
        Console.WriteLine($"soak: signing {count + joinsNeeded:N0} descriptors");
        var initial = NodeFactory.Create(count);
        var joins = NodeFactory.Create(joinsNeeded);
        using var server = await ServerProcess.StartAsync(new ServerSettings(MaxNodes: count + joinsNeeded + 16), ctx.Token);
        using var probe = new ServerProbe(server);
        var empty = await probe.InducedFullCollectionAsync(ctx.Token);
        var emptyRss = server.ResidentBytes;

        using var channels = new ChannelPool(server.GrpcAddress, o.Unary.Connections, maxReconnectBackoff: o.ReconnectBackoff);
        var clients = Enumerable.Range(0, channels.Count).Select(i => new SoakClients(channels, i)).ToArray();
        await Registrar.RegisterAllAsync(channels, initial, ctx.Token);
        var agents = new List<SoakAgent>(count);
        var interval = TimeSpan.FromSeconds(5);
        foreach (var node in initial)
        {
            var agent = new SoakAgent(node, clients[agents.Count % clients.Length]);
            agent.Start(interval * Random.Shared.NextDouble(), node.LeaseToken);
            agents.Add(agent);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ctx.Token);
        var streams = new SoakStreams();
        var watchers = new SoakStreams();
        using var streamChannels = new ChannelPool(server.GrpcAddress, Math.Max(1, (o.SoakWatchers + 89) / 90) + o.SoakSubscribers, o.SubscriberStreamWindow);
        var streamTasks = Enumerable.Range(0, o.SoakWatchers).Select(i => watchers.WatchAsync(streamChannels[i / 90].CreateCallInvoker(), stop.Token))
            .Concat(Enumerable.Range(0, o.SoakSubscribers).Select(i => streams.SubscribeAsync(streamChannels[((o.SoakWatchers + 89) / 90) + i].CreateCallInvoker(), stop.Token)))
            .ToList();

        // Churn: alternately a fresh identity joins and the oldest agent leaves (deregisters), so the size holds.
        var gate = new SemaphoreSlim(1, 1);
        var joinIndex = 0;
        var churned = 0;
        var churnPaused = false;
        var churn = Task.Run(async () =>
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var due = TimeSpan.FromSeconds(i / o.Churn) - Stopwatch.GetElapsedTime(start);
                await Task.Delay(due > TimeSpan.Zero ? due : TimeSpan.Zero, stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (stop.IsCancellationRequested || Volatile.Read(ref churnPaused))
                {
                    continue;
                }

                SoakAgent? leaving = null;
                await gate.WaitAsync(CancellationToken.None);
                try
                {
                    if (i % 2 == 0 && joinIndex < joins.Length)
                    {
                        var agent = new SoakAgent(joins[joinIndex++], clients[i % clients.Length]);
                        agent.Start(TimeSpan.Zero, null);
                        agents.Add(agent);
                    }
                    else if (agents.Count > 0)
                    {
                        leaving = agents[0];
                        agents.RemoveAt(0);
                    }
                }
                finally
                {
                    gate.Release();
                }

                if (leaving is not null)
                {
                    await leaving.LeaveAsync();
                }

                churned++;
            }
        });

        var samples = new List<MemorySample>();
        var clock = Stopwatch.StartNew();
        async Task SampleAsync()
        {
            samples.Add(new MemorySample(clock.Elapsed, server.Pid, server.ResidentBytes, await probe.ScrapeAsync(ctx.Token), agents.Count));
        }

        async Task RunUntilAsync(TimeSpan until)
        {
            while (clock.Elapsed < until)
            {
                var next = TimeSpan.FromTicks(Math.Min(until.Ticks, ((clock.Elapsed.Ticks / sampleEvery.Ticks) + 1) * sampleEvery.Ticks));
                await Task.Delay(next - clock.Elapsed > TimeSpan.Zero ? next - clock.Elapsed : TimeSpan.Zero, ctx.Token);
                await SampleAsync();
            }
        }

        await RunUntilAsync(warmup);
        var start = await probe.InducedFullCollectionAsync(ctx.Token);
        var startAgents = agents.Count;
        var gen2Start = start?.Gen2 ?? (await probe.ScrapeAsync(ctx.Token)).Gen2;
        server.ResetPeak();

        ChaosResult? chaos = null;
        var chaosAt = o.Chaos ? warmup + ((duration - warmup) / 2) : TimeSpan.MaxValue;
        long gen2Before = 0;
        if (o.Chaos)
        {
            await RunUntilAsync(chaosAt);
            gen2Before = samples.Where(s => !double.IsNaN(s.Gc.HeapBytes)).Select(s => s.Gc.Gen2).DefaultIfEmpty(gen2Start).Last() - gen2Start;
            Volatile.Write(ref churnPaused, true);
            chaos = await ChaosAsync(server, channels, agents, gate, o.Outage, clock, ctx.Token);
            Volatile.Write(ref churnPaused, false);
            gen2Start = 0;
        }

        await RunUntilAsync(duration);
        var end = await probe.InducedFullCollectionAsync(ctx.Token);
        if (Environment.GetEnvironmentVariable("MIXNET_BENCH_MEMORY_PAUSE") is { } pause && int.TryParse(pause, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            // For profiling by hand (dotnet-gcdump) at the end, with the load still running.
            Console.WriteLine($"soak: pid {server.Pid} paused for {seconds} s, load running");
            await Task.Delay(TimeSpan.FromSeconds(seconds), ctx.Token);
        }

        var gen2 = end is null ? -1 : gen2Before + end.Gen2 - gen2Start - 1;
        var endAgents = agents.Count;
        // VmHWM (reset after warm-up, or since the restart) catches peaks between the samples.
        var peakAll = Math.Max(server.PeakResidentBytes, samples.Where(s => s.At >= warmup).Select(s => s.RssBytes).DefaultIfEmpty(0).Max());

        await stop.CancelAsync();
        await churn;
        await Task.WhenAll(streamTasks).WaitAsync(TimeSpan.FromSeconds(30), ctx.Token);
        var reports = agents.Sum(a => a.Reports);
        var registrations = agents.Sum(a => a.Registrations);
        await Task.WhenAll(agents.Select(a => a.HaltAsync())).WaitAsync(TimeSpan.FromSeconds(60), ctx.Token);
        agents.ForEach(a => a.Dispose());

        Write(ctx, server, count, duration, warmup, samples, empty, emptyRss, start, end, startAgents, endAgents, peakAll, gen2, chaos, chaosAt, churned, reports, registrations, streams, watchers);
    }

    private static void Write(
        BenchContext ctx, ServerProcess server, int count, TimeSpan duration, TimeSpan warmup, List<MemorySample> samples,
        GcFigures? empty, long emptyRss, GcFigures? start, GcFigures? end, int startAgents, int endAgents, long peakAll, long gen2,
        ChaosResult? chaos, TimeSpan chaosAt, int churned, long reports, int registrations, SoakStreams subscribers, SoakStreams watchers)
    {
        var o = ctx.Options;
        var report = new ScenarioReport("soak", $"{count:N0} simulated nodes (the SDK NodeAgent's heartbeat, backoff and metrics policy) for {duration.TotalMinutes:0.#} min, churning at {o.Churn:0.#} changes/s (a fresh node joins, the oldest leaves, alternately), each heartbeating every heartbeat_interval ±10 % and reporting metrics every next_report_in; {o.SoakWatchers} WatchTopology streams and {o.SoakSubscribers} unfiltered StreamMetrics subscribers attached throughout. RSS from /proc every {(o.Quick ? 1 : 10)} s; GC figures from the directory's /metrics; live heap = heap after an induced full collection (EventPipe GCHeapCollect) less fragmentation.{(o.Chaos ? $" At {chaosAt.TotalMinutes:0.#} min the directory is killed with SIGKILL and restarted {o.Outage.TotalSeconds:0.#} s later on the same ports and data directory." : "")}");
        report.Settings.Add($"agents share {o.Unary.Connections} HTTP/2 connections; their channels' reconnect backoff: {(o.ReconnectBackoff is { } rb ? $"at most {rb.TotalSeconds:0.#} s (--reconnect-backoff; 5 s is the SDK's ChannelFactory cap)" : "Grpc.Net.Client's default (1 s doubling to 120 s; --reconnect-backoff 0)")}");
        report.Settings.Add($"fresh directory; {server.Description}; warm-up {warmup.TotalSeconds:0} s before the figures; {churned:N0} churn changes, {registrations:N0} registrations and {reports:N0} metrics reports by the agents still running at the end; subscribers read {subscribers.Messages:N0} frames ({subscribers.Bytes / 1048576.0:N0} MiB), watchers {watchers.Messages:N0} messages; stream reconnects {subscribers.Reconnects + watchers.Reconnects}");

        double Mb(double bytes) => bytes / 1048576.0;
        var emptyLive = empty?.LiveBytes ?? double.NaN;
        var endLive = end?.LiveBytes ?? double.NaN;
        var perNode = (endLive - emptyLive) / endAgents;
        var replay = end?.ReplayBytes ?? double.NaN;
        var perNodeWithoutReplay = (endLive - replay - emptyLive) / endAgents;
        var preKill = samples.Where(s => s.At >= warmup && s.At < chaosAt).Select(s => (s.At.TotalMinutes, Mb(s.RssBytes))).ToList();
        var restartAt = chaos is null ? TimeSpan.MaxValue : chaos.RestartedAt + warmup;
        var postRestart = samples.Where(s => s.At >= restartAt).Select(s => (s.At.TotalMinutes, Mb(s.RssBytes))).ToList();
        var fits = new List<(string Name, Regression Fit)> { (chaos is null ? "after warm-up" : "after warm-up, before the kill", Regression.Fit(preKill)) };
        if (chaos is not null)
        {
            fits.Add(("restarted directory, after its warm-up", Regression.Fit(postRestart)));
        }

        report.AddTable(
            ["live heap MB: empty", "after warm-up", "at the end", "of which metrics replay MB", "live B/node (end − empty)", "live B/node without the replay", "RSS MB: empty", "peak after warm-up", "gen2 collections (not induced)", "agents at start / end"],
            [[
                ScenarioReport.F(Mb(emptyLive), 1), ScenarioReport.F(Mb(start?.LiveBytes ?? double.NaN), 1), ScenarioReport.F(Mb(endLive), 1), ScenarioReport.F(Mb(replay), 1), ScenarioReport.F(perNode), ScenarioReport.F(perNodeWithoutReplay),
                ScenarioReport.F(Mb(emptyRss), 1), ScenarioReport.F(Mb(peakAll), 1), gen2 < 0 ? "n/a" : ScenarioReport.F(gen2), $"{startAgents:N0} / {endAgents:N0}",
            ]]);
        report.AddTable(["RSS slope", "MB/min", "± 2 SE", "samples"], fits.Select(f => new[] { f.Name, ScenarioReport.F(f.Fit.Slope, 2), ScenarioReport.F(2 * f.Fit.SlopeError, 2), ScenarioReport.F(f.Fit.Points) }));
        var rows = Thin(samples, 16).Select(s => new[]
        {
            ScenarioReport.F(s.At.TotalMinutes, 2), ScenarioReport.F(Mb(s.RssBytes), 1), ScenarioReport.F(Mb(s.Gc.HeapBytes), 1), ScenarioReport.F(Mb(s.Gc.FragmentationBytes), 1), ScenarioReport.F(s.Gc.Gen2), s.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), ScenarioReport.F(s.Agents),
        });
        report.AddTable(["min", "RSS MB", "GC heap after last collection MB", "fragmentation MB", "gen2 so far", "pid", "agents"], rows);

        var liveLimit = Mb((2 * endLive) + (100 * 1048576.0));
        report.Target("peak RSS ≤ 2 × live heap + 100 MB", $"{Mb(peakAll):N1} MB against {liveLimit:N1} MB", double.IsNaN(endLive) ? null : Mb(peakAll) <= liveLimit);
        // Judged on the first process only: the restarted directory's metrics replay fills again
        // (it grows for MaxReplayFrames windows), so its slope is shown, not judged.
        var judged = fits[0];
        report.Target($"RSS slope within noise of zero ({judged.Name})", $"{judged.Fit.Slope:F2} ± {2 * judged.Fit.SlopeError:F2} MB/min over {judged.Fit.Points} samples", double.IsNaN(judged.Fit.Slope) ? null : judged.Fit.WithinNoiseOfZero);

        report.Target("live memory ≤ 2 KB per node", $"{perNode:N0} B/node", double.IsNaN(perNode) ? null : perNode <= TargetLiveBytesPerNode);
        if (chaos is not null)
        {
            report.AddTable(
                ["outage s", "directory answering again after s", "every agent listed again after s (from answering)", "agents", "listed at the deadline"],
                [[ScenarioReport.F(o.Outage.TotalSeconds, 1), ScenarioReport.F(chaos.Answering.TotalSeconds, 1), chaos.Recovered is { } r ? ScenarioReport.F(r.TotalSeconds, 1) : "not within 120 s", ScenarioReport.F(chaos.Agents), ScenarioReport.F(chaos.Listed)]]);
            var bound = TimeSpan.FromSeconds(5) + TimeSpan.FromSeconds(5);
            report.Target("every agent listed again within one heartbeat interval (5 s) + its backoff (≤ 5 s, capped at the interval) after the directory answers", chaos.Recovered is { } t ? $"{t.TotalSeconds:F1} s" : "not recovered", chaos.Recovered is { } u ? u <= bound : false);
        }

        if (empty is null || start is null || end is null)
        {
            report.Notes.Add("An induced full collection could not be confirmed (no gen2 counted within 10 s); its live heap is n/a.");
        }

        report.Notes.Add("Peak RSS is the larger of the largest sample after warm-up and VmHWM (reset after warm-up; since its start for a restarted directory); the target takes the live heap at the end. gen2 collections exclude the induced ones.");
        ctx.Add(report);
    }

    private static IEnumerable<MemorySample> Thin(List<MemorySample> samples, int rows)
    {
        if (samples.Count <= rows)
        {
            return samples;
        }

        return Enumerable.Range(0, rows).Select(i => samples[(int)Math.Round(i * (samples.Count - 1) / (double)(rows - 1))]);
    }

    private static async Task<ChaosResult> ChaosAsync(ServerProcess server, ChannelPool channels, List<SoakAgent> agents, SemaphoreSlim gate, TimeSpan outage, Stopwatch clock, CancellationToken ct)
    {
        Console.WriteLine($"soak: SIGKILL directory pid {server.Pid}, restart in {outage.TotalSeconds:0.#} s");
        var killed = Stopwatch.StartNew();
        server.KillHard();
        await Task.Delay(outage, ct);
        await server.RestartAsync(ct);
        var answering = killed.Elapsed;
        var restartedAt = clock.Elapsed;
        var up = Stopwatch.StartNew();
        HashSet<ulong> expected;
        await gate.WaitAsync(ct);
        try
        {
            expected = agents.Select(a => a.Tag).ToHashSet();
        }
        finally
        {
            gate.Release();
        }

        var topology = new TopologyService.TopologyServiceClient(channels[0]);
        var listed = 0;
        while (up.Elapsed < TimeSpan.FromSeconds(120))
        {
            try
            {
                var reply = await topology.GetTopologyAsync(new GetTopologyRequest(), deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: ct);
                var snapshot = TopologySnapshot.Parser.ParseFrom(reply.Topology.Topology);
                listed = snapshot.Mixnodes.Concat(snapshot.Gateways).Count(n => expected.Contains(BitConverter.ToUInt64(n.IdentityKey.Span[..8])));
                if (listed == expected.Count)
                {
                    var at = up.Elapsed;
                    Console.WriteLine($"soak: every agent ({listed:N0}) listed again {at.TotalSeconds:F1} s after the directory answered");
                    return new ChaosResult(answering, at, restartedAt, expected.Count, listed);
                }
            }
            catch (Grpc.Core.RpcException)
            {
            }

            await Task.Delay(100, ct);
        }

        return new ChaosResult(answering, null, restartedAt, expected.Count, listed);
    }

    private sealed record ChaosResult(TimeSpan Answering, TimeSpan? Recovered, TimeSpan RestartedAt, int Agents, int Listed);
}
