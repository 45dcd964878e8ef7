using System.Diagnostics;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Google.Protobuf;
using Mixnet.Directory.Bench.Micro;
using Mixnet.Directory.Bench.Report;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Bench.Scenarios;

/// <summary>
/// serialize: how long one TopologySnapshot of the core node count takes to serialize, by
/// BenchmarkDotNet (in-process) in a full run and by a timed loop in --quick and as a cross-check.
/// </summary>
internal static class SerializeScenario
{
    public static async Task RunAsync(BenchContext ctx)
    {
        var count = ctx.Options.Nodes;
        var snapshot = SnapshotFactory.Build(count);
        var size = snapshot.CalculateSize();
        var loopNs = await Task.Run(() => TimedLoop(snapshot, ctx.Options.Quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(3)));
        var report = new ScenarioReport("serialize", $"Microbenchmark: `TopologySnapshot.ToByteArray()` of {count:N0} nodes ({size / 1024.0:N0} KiB), the cost the directory pays once per topology version.");
        var rows = new List<string[]> { new[] { "timed loop (best of 5-call batches, process CPU time)", ScenarioReport.F(loopNs / 1000, 1), "" } };
        double chosen = loopNs;
        if (!ctx.Options.Quick)
        {
            var bdn = RunBenchmarkDotNet(count);
            if (bdn is { } result)
            {
                rows.Add(["BenchmarkDotNet (in-process, 3 warm-up + 15 iterations)", ScenarioReport.F(result.MeanNs / 1000, 1), $"standard error {ScenarioReport.F(result.ErrorNs / 1000, 1)} µs, allocated {result.AllocatedBytes / 1024.0:N0} KiB/op"]);
                // The smaller figure is the yardstick: BenchmarkDotNet measures wall time, which other
                // processes on a shared machine inflate, and a larger yardstick would flatter topology-full.
                chosen = Math.Min(loopNs, result.MeanNs);
            }
            else
            {
                report.Notes.Add("BenchmarkDotNet did not produce a result; the timed loop is used.");
            }
        }
        else
        {
            report.Notes.Add("--quick uses the timed loop; a full run uses BenchmarkDotNet.");
        }

        report.AddTable(["method", "µs per serialization", "detail"], rows);
        report.Notes.Add($"Yardstick for topology-full: {chosen / 1000:N1} µs (the smaller figure; wall time on a shared machine only grows).");
        ctx.SerializeNs = chosen;
        ctx.Add(report);
    }

    /// <summary>
    /// Best of many small batches, in the process's CPU time where available (wall time elsewhere):
    /// the bench runs Server GC, whose collections of these 1.4 MB arrays happen on its own thread,
    /// and the directory pays for them too when it serializes a snapshot.
    /// </summary>
    private static double TimedLoop(TopologySnapshot snapshot, TimeSpan budget)
    {
        // Enough calls for tiered compilation to reach optimized code before timing.
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < TimeSpan.FromMilliseconds(300))
        {
            snapshot.ToByteArray();
        }

        var best = double.MaxValue;
        var total = Stopwatch.StartNew();
        while (total.Elapsed < budget)
        {
            const int batch = 5;
            var wall = Stopwatch.GetTimestamp();
            var cpu = CpuClock.Available ? CpuClock.ProcessNanoseconds : 0;
            for (var i = 0; i < batch; i++)
            {
                snapshot.ToByteArray();
            }

            var ns = CpuClock.Available ? CpuClock.ProcessNanoseconds - cpu : Stopwatch.GetElapsedTime(wall).TotalNanoseconds;
            best = Math.Min(best, ns / (double)batch);
        }

        return best;
    }

    private static (double MeanNs, double ErrorNs, long AllocatedBytes)? RunBenchmarkDotNet(int count)
    {
        TopologySerializationBenchmarks.NodeCount = count;
        var artifacts = System.IO.Directory.CreateTempSubdirectory("mixnet-bench-bdn-").FullName;
        try
        {
            var config = ManualConfig.CreateEmpty()
                .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15))
                .AddLogger(ConsoleLogger.Default)
                .AddColumnProvider(DefaultColumnProviders.Instance)
                .AddDiagnoser(MemoryDiagnoser.Default)
                .WithArtifactsPath(artifacts)
                .WithOptions(ConfigOptions.DisableLogFile);
            var summary = BenchmarkRunner.Run<TopologySerializationBenchmarks>(config);
            var report = summary.Reports.FirstOrDefault(r => r.ResultStatistics is not null);
            if (report?.ResultStatistics is not { } stats)
            {
                return null;
            }

            var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0;
            return (stats.Mean, stats.StandardError, allocated);
        }
        finally
        {
            System.IO.Directory.Delete(artifacts, recursive: true);
        }
    }
}
