using Grpc.Core;
using Mixnet.Directory.Bench.Infrastructure;
using Mixnet.Directory.Bench.Nodes;
using Mixnet.Directory.Bench.Report;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Bench.Scenarios;

/// <summary>
/// memory: server RSS per registered live node over the empty server. Nothing can force a GC in
/// the server from outside, so RSS is read after a settle period; run once as shipped (workstation GC)
/// and once with workstation GC, which is a deployment setting, not a code change.
/// </summary>
internal static class MemoryScenario
{
    private const double TargetBytesPerNode = 1.5 * 1024;

    public static async Task RunAsync(BenchContext ctx)
    {
        var count = ctx.Options.MemoryNodes;
        var settle = TimeSpan.FromSeconds(ctx.Options.Quick ? 2 : 5);
        Console.WriteLine($"memory: signing {count:N0} descriptors");
        var nodes = NodeFactory.Create(count);
        var report = new ScenarioReport("memory", $"{count:N0} registered live nodes; server RSS (VmRSS) over the empty server, read {settle.TotalSeconds:F0} s after the last registration, and again after one full topology fetch has built and cached the signed snapshot.");
        var rows = new List<string[]>();
        var variants = new (string Name, Dictionary<string, string> Environment)[]
        {
            ("workstation GC (as shipped)", []),
            ("Server GC (DOTNET_gcServer=1)", new() { ["DOTNET_gcServer"] = "1" }),
        };
        foreach (var (name, environment) in variants)
        {
            using var server = await ServerProcess.StartAsync(new ServerSettings(MaxNodes: count + 16) { Environment = environment }, ctx.Token);
            using var channels = new ChannelPool(server.GrpcAddress, 4);
            await Task.Delay(settle, ctx.Token);
            var empty = server.ResidentBytes;
            await Registrar.RegisterAllAsync(channels, nodes, ctx.Token);
            await Task.Delay(settle, ctx.Token);
            var registered = server.ResidentBytes;
            var method = RawMethods.Unary<GetTopologyRequest>("mixnet.directory.v1.TopologyService", "GetTopology");
            await BenchContext.WaitForPublishedVersionAsync(channels, count, ctx.Token);
            var topology = await channels[0].CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(cancellationToken: ctx.Token), new GetTopologyRequest());
            await Task.Delay(settle, ctx.Token);
            var withSnapshot = server.ResidentBytes;
            var peak = server.PeakResidentBytes;
            if (Environment.GetEnvironmentVariable("MIXNET_BENCH_MEMORY_PAUSE") is { } pause && int.TryParse(pause, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            {
                // For profiling by hand (dotnet-gcdump, dotnet-counters) at the measured point.
                Console.WriteLine($"memory: {name}: pid {server.Pid} paused for {seconds} s");
                await Task.Delay(TimeSpan.FromSeconds(seconds), ctx.Token);
            }

            var perNode = (registered - empty) / (double)count;
            var perNodeWithSnapshot = (withSnapshot - empty) / (double)count;
            rows.Add([
                name, Mb(empty), Mb(registered), Mb(withSnapshot), Mb(peak),
                ScenarioReport.F(perNode), ScenarioReport.F(perNodeWithSnapshot), ScenarioReport.F(topology.Length / 1024.0),
            ]);
            report.Target($"≤ 1.5 KB RSS per node, {name}, registered", $"{perNode:N0} B/node", perNode <= TargetBytesPerNode);
            report.Target($"≤ 1.5 KB RSS per node, {name}, with the snapshot cached", $"{perNodeWithSnapshot:N0} B/node", perNodeWithSnapshot <= TargetBytesPerNode);
        }

        report.AddTable(["GC", "empty MB", "registered MB", "+ snapshot MB", "peak MB", "B/node registered", "B/node with snapshot", "snapshot KiB"], rows);
        report.Notes.Add("The first row is the directory as shipped (ServerGarbageCollection=false, concurrent workstation GC); the second is the same build with DOTNET_gcServer=1 in its environment, the setting for large machines.");
        ctx.Add(report);
    }

    private static string Mb(long bytes) => ScenarioReport.F(bytes / 1048576.0, 1);
}
