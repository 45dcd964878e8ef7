using Mixnet.Directory.Bench.Infrastructure;
using Mixnet.Directory.Bench.Load;
using Mixnet.Directory.Bench.Nodes;
using Mixnet.Directory.Bench.Quality;
using Mixnet.Directory.Bench.Report;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Bench.Scenarios;

/// <summary>
/// quality: (1) 1,000 simulated nodes with droppers, liars and link loss report for a number of
/// short periods to a directory whose <c>Directory:Quality:Period</c> is seconds; after each
/// period the signed topology's scores are compared with the truth. (2) The cost of scoring:
/// the metrics load with links, once with <c>Directory:Quality:Enabled=false</c> and once on.
/// </summary>
internal static class QualityScenario
{
    private const int SimulatedNodes = 1_000;
    private const double Threshold = 0.5;
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(3);

    public static async Task RunAsync(BenchContext ctx)
    {
        var report = new ScenarioReport("quality",
            $"{SimulatedNodes:N0} simulated nodes (5 % droppers dropping 50 % and admitting it, 5 % liars framing honest peers, 0.5 % loss on every link) for {ctx.Options.QualityPeriods} periods of {Period.TotalSeconds:0} s; " +
            $"then the metrics load ({ctx.Options.MetricsNodes:N0} nodes reporting once a second, {ctx.Options.QualityLinks} next and {ctx.Options.QualityLinks} previous hops each, all of them listed) with quality scoring off and on.");
        await ScoresAsync(ctx, report);
        await IngestAsync(ctx, report);
        ctx.Add(report);
    }

    private static async Task ScoresAsync(BenchContext ctx, ScenarioReport report)
    {
        var nodes = NodeFactory.Create(SimulatedNodes);
        using var server = await ServerProcess.StartAsync(new ServerSettings(MaxNodes: nodes.Length + 16)
        {
            ExtraArguments = [$"--Directory:Quality:Period={Period:c}"],
        }, ctx.Token);
        using var channels = new ChannelPool(server.GrpcAddress, ctx.Options.Unary.Connections);
        await Registrar.RegisterAllAsync(channels, nodes, ctx.Token);
        var version = await BenchContext.WaitForPublishedVersionAsync(channels, nodes.Length, ctx.Token);
        var world = new QualityWorld(nodes, links: 32, dropperShare: 0.05, dropRate: 0.5, liarShare: 0.05, linkLoss: 0.005, sharedVictims: 10);
        report.Settings.Add($"fresh directory; {server.Description}; 3 layers and gateways as `NodeFactory` makes them, 32 fixed next hops per node, " +
            $"{world.IsDropper.Count(d => d)} droppers, {world.IsLiar.Count(l => l)} liars framing {world.FramedLinks} links (10 shared victims, and one other honest peer in ten)");

        var topology = new TopologyService.TopologyServiceClient(channels[0]);
        var metrics = CoreScenarios.Clients(channels, c => new MetricsService.MetricsServiceClient(c));
        var rows = new List<string[]>();
        bool? held = null;
        var (_, first) = await NextTickAsync(topology, version, ctx.Token); // the first period starts at a tick
        version = first.Version;
        for (var period = 1; period <= ctx.Options.QualityPeriods; period++)
        {
            var requests = world.Period(perLink: 3000);
            await Parallel.ForEachAsync(Enumerable.Range(0, requests.Length), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = ctx.Token },
                async (i, ct) => await metrics[i % metrics.Length].ReportMetricsAsync(requests[i], cancellationToken: ct));
            var (seen, snapshot) = await NextTickAsync(topology, version, ctx.Token);
            version = snapshot.Version;
            var scores = snapshot.Quality.ToDictionary(q => q.IdentityKey, q => q);
            double Score(int i) => scores.TryGetValue(nodes[i].IdentityKey, out var q) ? q.Reliability : double.NaN;
            bool Excluded(int i) => scores.TryGetValue(nodes[i].IdentityKey, out var q) && q.Excluded;
            var all = Enumerable.Range(0, nodes.Length).ToArray();
            var honest = all.Where(world.IsHonest).Select(Score).ToArray();
            var droppers = all.Where(i => world.IsDropper[i]).ToArray();
            var liars = all.Where(i => world.IsLiar[i]).Select(Score).Order().ToArray();
            var lowestHonest = honest.Min();
            var highestDropper = droppers.Max(Score);
            var holds = highestDropper < lowestHonest && lowestHonest >= Threshold;
            if (period >= 3)
            {
                held = (held ?? true) && holds;
            }

            rows.Add([
                ScenarioReport.F(period) + (seen ? "" : " (tick not seen)"),
                ScenarioReport.F(lowestHonest, 3),
                ScenarioReport.F(honest.Count(s => s < Threshold)),
                ScenarioReport.F(highestDropper, 3),
                $"{liars[0]:F3} / {liars[liars.Length / 2]:F3} / {liars[^1]:F3}",
                $"{droppers.Count(Excluded) * 100.0 / droppers.Length:F0} %",
                $"{droppers.Count(i => Score(i) < Threshold || Excluded(i)) * 100.0 / droppers.Length:F0} %",
                holds ? "yes" : "no",
            ]);
            Console.WriteLine($"quality period {period}: lowest honest {lowestHonest:F3}, highest dropper {highestDropper:F3}, liars {liars[0]:F3}/{liars[liars.Length / 2]:F3}/{liars[^1]:F3}, targets {(holds ? "hold" : "missed")}");
        }

        report.AddTable(["period", "lowest honest", "honest < 0.5", "highest dropper", "liars min / median / max", "droppers `excluded`", "droppers skipped by clients (< 0.5 or excluded)", "targets hold"], rows);
        report.Target("from period 3 on, every dropper below every honest node and no honest node below 0.5", held switch { true => "held in every period", false => "missed in a period (see the table)", null => "fewer than 3 periods" }, held);
    }

    /// <summary>Waits for the next published version (a period's scores), at most two and a half periods.</summary>
    private static async Task<(bool Seen, TopologySnapshot Snapshot)> NextTickAsync(TopologyService.TopologyServiceClient topology, ulong known, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + (Period * 2.5);
        while (true)
        {
            var seen = DateTimeOffset.UtcNow < deadline;
            var reply = await topology.GetTopologyAsync(new GetTopologyRequest { KnownVersion = seen ? known : 0 }, cancellationToken: cancellationToken);
            if (reply.Topology is { } signed)
            {
                return (seen, TopologySnapshot.Parser.ParseFrom(signed.Topology));
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private static async Task IngestAsync(BenchContext ctx, ScenarioReport report)
    {
        var options = ctx.Options;
        var nodes = NodeFactory.Create(options.MetricsNodes);
        var hops = nodes.Select(n => NodeDescriptor.Parser.ParseFrom(n.Register.Descriptor_)).Select(d => $"{d.Host}:{d.MixPort}").ToArray();
        var results = new List<LoadResult>();
        foreach (var enabled in new[] { false, true })
        {
            using var server = await ServerProcess.StartAsync(new ServerSettings(MaxNodes: nodes.Length + 16)
            {
                // A short period, so that the timed window includes the period loop's work too.
                ExtraArguments = [$"--Directory:Quality:Enabled={enabled}", "--Directory:Quality:Period=00:00:05"],
            }, ctx.Token);
            using var channels = new ChannelPool(server.GrpcAddress, options.Unary.Connections);
            await Registrar.RegisterAllAsync(channels, nodes, ctx.Token);
            var requests = nodes.Select((n, i) =>
            {
                var request = new ReportMetricsRequest { IdentityKey = n.IdentityKey, LeaseToken = n.LeaseToken, Received = 1_000UL * (ulong)options.QualityLinks };
                for (var k = 1; k <= options.QualityLinks; k++)
                {
                    request.Sent[hops[(i + k) % hops.Length]] = 1_000;
                    request.ReceivedFrom[hops[(i - k + hops.Length) % hops.Length]] = 1_000;
                }

                return request;
            }).ToArray();
            var clients = CoreScenarios.Clients(channels, c => new MetricsService.MetricsServiceClient(c));
            results.Add(await LoadRunner.PacedAsync(
                $"ReportMetrics, {options.QualityLinks}+{options.QualityLinks} hops, quality {(enabled ? "on" : "off")}", () => server.Pid, () => server.CpuTime, nodes.Length, channels.Count, 4096, options.Warmup, options.Duration,
                async (call, ct) =>
                {
                    await clients[call.Worker % clients.Length].ReportMetricsAsync(requests[call.Sequence % requests.Length], cancellationToken: ct);
                    return true;
                }, ctx.Token));
        }

        report.AddLoad([.. results]);
        var cost = results[1].ServerCores - results[0].ServerCores;
        var perReportUs = results[1].ServerCpuPerRequestUs - results[0].ServerCpuPerRequestUs;
        var sustained = results.All(r => r.Rps >= 0.9 * nodes.Length);
        report.Notes.Add($"scoring's cost per report (on − off): {perReportUs:F1} µs of server CPU, that is {perReportUs * 10_000 / 1e6:F2} cores at 10,000 reports/s" +
            (sustained ? "" : $"; the paced rate ({nodes.Length:N0}/s) was not sustained, so these figures are the machine's load, not the directory's"));
        report.Target("scoring ≤ 0.2 core at 10,000 reports/s (on − off)", $"{cost:F2} cores at {results[1].Rps:N0} reports/s ({results[0].ServerCores:F2} off, {results[1].ServerCores:F2} on)",
            sustained && results[1].Rps >= 9_000 ? cost <= 0.2 : null);
    }
}
