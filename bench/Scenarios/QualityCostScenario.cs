using Mixnet.Directory.Bench.Micro;
using Mixnet.Directory.Bench.Report;

namespace Mixnet.Directory.Bench.Scenarios;

/// <summary>
/// quality-cost: what scoring costs the directory per metrics report, in this process, without
/// the network or protobuf in the figure: <c>QualityTracker.Report</c> from two threads, every
/// node once per simulated second, and <c>Tick</c> once per simulated period (60 reports per node,
/// as with the default one-minute period and one report a second), in process CPU time. Each
/// report is read as the service's checks read it before scoring (so it is in the cache, as in
/// the directory), and a pass that only reads is timed and taken off. The
/// implied cores at 10,000 reports/s are the reports' cost plus a tick a minute of 10,000 nodes
/// (the tick scaled linearly from the case's node count).
/// </summary>
internal static class QualityCostScenario
{
    private const double Rate = 10_000;
    private const double TargetCores = 0.2;

    public static Task RunAsync(BenchContext ctx)
    {
        var quick = ctx.Options.Quick;
        (int Nodes, int Hops, bool Churn)[] cases = quick
            ? [(1_000, 16, false), (300, 256, false), (200, 128, true)] // a node names at most every other node once
            : [(10_000, 16, false), (2_000, 1_024, false), (1_000, 1_024, true)];
        var rounds = quick ? 10 : 60;
        var periods = quick ? 2 : 3;
        var report = new ScenarioReport("quality-cost",
            $"Microbenchmark: `QualityTracker.Report` and `Tick` in-process on parsed `ReportMetricsRequest`s, two reporting threads, {rounds} reports per node per period, " +
            $"one warm-up period then {periods} timed; process CPU time (every thread, GC included) of reading each report as the service's checks do and scoring it, less a pass that only reads. Cores at {Rate:N0} reports/s = µs/report × {Rate:N0} + the tick of {Rate:N0} nodes once a minute.");
        var rows = new List<string[]>();
        var met = true;
        var worst = 0.0;
        foreach (var (nodes, hops, churn) in cases)
        {
            ctx.Token.ThrowIfCancellationRequested();
            var result = Measure(nodes, hops, churn, rounds, periods);
            var label = $"{nodes:N0} nodes, {hops:N0}+{hops:N0} hops" + (churn ? ", order shuffled every report" : "");
            Console.WriteLine($"quality-cost {label}: {result.UsPerReport:F2} µs/report (best period {result.BestUsPerReport:F2}), {result.NsPerHop:F1} ns/hop, tick {result.TickMs:F0} ms, " +
                $"{result.Cores:F3} cores at {Rate:N0} reports/s, open period {result.BytesPerNode:N0} B/node (the read taken off: {result.ReadUsPerReport:F2} µs/report)");
            rows.Add([
                label, ScenarioReport.F(result.Reports), ScenarioReport.F(result.UsPerReport, 2), ScenarioReport.F(result.BestUsPerReport, 2), ScenarioReport.F(result.NsPerHop, 1),
                ScenarioReport.F(result.TickMs, 0), ScenarioReport.F(result.TickMs * Rate / nodes, 0), ScenarioReport.F(result.Cores, 3), ScenarioReport.F(result.BytesPerNode), ScenarioReport.F(result.ReadUsPerReport, 2),
            ]);
            if (!churn)
            {
                met &= result.Cores <= TargetCores;
                worst = Math.Max(worst, result.Cores);
            }
        }

        report.AddTable(["case", "reports timed", "µs per report", "best period, µs per report", "ns per hop", "tick ms", "tick ms at 10,000 nodes", $"cores at {Rate:N0} reports/s", "open period B/node", "read taken off, µs per report"], rows);
        report.Target($"scoring 10,000 nodes with up to 1,024 links each ≤ {TargetCores} core at {Rate:N0} reports/s (in-process, ordered reports)",
            $"{worst:F3} cores in the costliest ordered case (see the table)", met);
        report.Notes.Add("The churn row is a hostile reporter that lists its hops in a new order every report; it is shown, not judged.");
        ctx.Add(report);
        return Task.CompletedTask;
    }

    private static Result Measure(int nodes, int hops, bool churn, int rounds, int periods)
    {
        using var world = new QualityCostWorld(nodes, hops, churn);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        RunPeriod(world, rounds); // warm-up: hops interned, code tiered up
        var bytesPerNode = (GC.GetTotalMemory(forceFullCollection: true) - before) / (double)nodes;
        world.Tick();
        long scoreNs = 0, tickNs = 0, readNs = 0, bestScoreNs = long.MaxValue;
        for (var p = 0; p < periods; p++)
        {
            var (read, score) = RunPeriod(world, rounds);
            var start = CpuClock.ProcessNanoseconds;
            world.Tick();
            tickNs += CpuClock.ProcessNanoseconds - start;
            scoreNs += score;
            readNs += read;
            bestScoreNs = Math.Min(bestScoreNs, score);
        }

        var reports = (long)nodes * rounds * periods;
        var usPerReport = scoreNs / 1000.0 / reports;
        var tickMs = tickNs / 1e6 / periods;
        var cores = (usPerReport * Rate / 1e6) + (tickMs * (Rate / nodes) / 1000 / 60);
        var bestUsPerReport = bestScoreNs / 1000.0 / ((long)nodes * rounds);
        return new Result(reports, usPerReport, bestUsPerReport, usPerReport * 1000 / (2.0 * hops), tickMs, cores, bytesPerNode, readNs / 1000.0 / reports);
    }

    /// <summary>
    /// One period's reports: per round, every node's report read as the service's checks read it,
    /// then read and scored, each by two threads taking every other node; the read-only pass is
    /// timed beside each scored one so that the machine's load varies little between the two.
    /// </summary>
    /// <returns>Process CPU ns of the reads alone, and of scoring (read and score less read).</returns>
    private static (long ReadNs, long ScoreNs) RunPeriod(QualityCostWorld world, int rounds)
    {
        long readNs = 0, scoreNs = 0;
        for (var round = 0; round < rounds; round++)
        {
            var start = CpuClock.ProcessNanoseconds;
            Pass(world, round, score: false);
            var read = CpuClock.ProcessNanoseconds;
            Pass(world, round, score: true);
            var end = CpuClock.ProcessNanoseconds;
            readNs += read - start;
            scoreNs += (end - read) - (read - start);
        }

        return (readNs, scoreNs);
    }

    private static void Pass(QualityCostWorld world, int round, bool score)
    {
        long check = 0;
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, thread =>
            Interlocked.Add(ref check, (long)world.Report(round, thread, 2, score)));
        GC.KeepAlive(check);
    }

    private readonly record struct Result(long Reports, double UsPerReport, double BestUsPerReport, double NsPerHop, double TickMs, double Cores, double BytesPerNode, double ReadUsPerReport);
}
