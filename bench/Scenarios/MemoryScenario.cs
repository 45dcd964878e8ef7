using Grpc.Core;
using Mixnet.Directory.Bench.Infrastructure;
using Mixnet.Directory.Bench.Load;
using Mixnet.Directory.Bench.Nodes;
using Mixnet.Directory.Bench.Report;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Bench.Scenarios;

/// <summary>
/// memory: server RSS per registered live node over the empty server. Read twice: right after the
/// registration burst with the server idle (the GC keeps the memory it grew into until it next
/// collects), and in the steady state of a live network, where every node heartbeats once per
/// heartbeat interval, first without and then with the signed snapshot built and cached. Run once
/// as shipped (Server GC with dynamic adaptation and one heap) and once with workstation GC.
/// </summary>
internal static class MemoryScenario
{
    private const double TargetBytesPerNode = 1.5 * 1024;

    /// <summary>The directory's default heartbeat interval: a live network sends count / 5 s heartbeats a second.</summary>
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(BenchContext ctx)
    {
        var count = ctx.Options.MemoryNodes;
        var settle = TimeSpan.FromSeconds(ctx.Options.Quick ? 2 : 5);
        var steady = TimeSpan.FromSeconds(ctx.Options.Quick ? 3 : 20);
        Console.WriteLine($"memory: signing {count:N0} descriptors");
        var nodes = NodeFactory.Create(count);
        var rate = count / HeartbeatInterval.TotalSeconds;
        var report = new ScenarioReport("memory", $"{count:N0} registered live nodes; server RSS (VmRSS) over the empty server: {settle.TotalSeconds:F0} s after the registration burst with the server idle, then after {steady.TotalSeconds:F0} s of the live network's steady state (every node heartbeating once per {HeartbeatInterval.TotalSeconds:F0} s, {rate:N0} heartbeats/s), then {steady.TotalSeconds:F0} s after one full topology fetch built and cached the signed snapshot (heartbeats continuing).");
        var rows = new List<string[]>();
        var variants = new (string Name, Dictionary<string, string> Environment)[]
        {
            ("as shipped (Server GC, DATAS, one heap)", []),
            ("workstation GC (DOTNET_gcServer=0)", new() { ["DOTNET_gcServer"] = "0" }),
        };
        foreach (var (name, environment) in variants)
        {
            using var server = await ServerProcess.StartAsync(new ServerSettings(MaxNodes: count + 16) { Environment = environment }, ctx.Token);
            using var channels = new ChannelPool(server.GrpcAddress, 4);
            await Task.Delay(settle, ctx.Token);
            var empty = server.ResidentBytes;
            await Registrar.RegisterAllAsync(channels, nodes, ctx.Token);
            await Task.Delay(settle, ctx.Token);
            var afterBurst = server.ResidentBytes;

            // The steady state: heartbeats from every node, paced as a live network sends them.
            var clients = CoreScenarios.Clients(channels, c => new PresenceService.PresenceServiceClient(c));
            using var stopPump = CancellationTokenSource.CreateLinkedTokenSource(ctx.Token);
            var heartbeats = LoadRunner.PacedAsync(
                "heartbeats of every node", () => server.Pid, () => server.CpuTime, rate, channels.Count, 1024, TimeSpan.Zero, (steady * 2) + TimeSpan.FromMinutes(5),
                async (call, ct) =>
                {
                    await clients[call.Worker % clients.Length].HeartbeatAsync(nodes[call.Sequence % nodes.Length].Heartbeat, cancellationToken: ct);
                    return true;
                }, stopPump.Token);
            await Task.Delay(steady, ctx.Token);
            var live = server.ResidentBytes;
            var method = RawMethods.Unary<GetTopologyRequest>("mixnet.directory.v1.TopologyService", "GetTopology");
            await BenchContext.WaitForPublishedVersionAsync(channels, count, ctx.Token);
            var topology = await channels[0].CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(cancellationToken: ctx.Token), new GetTopologyRequest());
            await Task.Delay(steady, ctx.Token);
            var withSnapshot = server.ResidentBytes;
            var peak = server.PeakResidentBytes;
            if (Environment.GetEnvironmentVariable("MIXNET_BENCH_MEMORY_PAUSE") is { } pause && int.TryParse(pause, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            {
                // For profiling by hand (dotnet-gcdump, dotnet-counters) at the measured point.
                Console.WriteLine($"memory: {name}: pid {server.Pid} paused for {seconds} s");
                await Task.Delay(TimeSpan.FromSeconds(seconds), ctx.Token);
            }

            ctx.Token.ThrowIfCancellationRequested();
            await stopPump.CancelAsync();
            var pumped = await heartbeats.WaitAsync(TimeSpan.FromSeconds(60), ctx.Token);
            var pump = $"{pumped.Rps:N0}/s, {pumped.Errors:N0} errors";
            double PerNode(long bytes) => (bytes - empty) / (double)count;
            rows.Add([
                name, Mb(empty), Mb(afterBurst), Mb(live), Mb(withSnapshot), Mb(peak),
                ScenarioReport.F(PerNode(afterBurst)), ScenarioReport.F(PerNode(live)), ScenarioReport.F(PerNode(withSnapshot)), ScenarioReport.F(topology.Length / 1024.0),
                pump,
            ]);
            report.Target($"≤ 1.5 KB RSS per node, {name}, live (heartbeating)", $"{PerNode(live):N0} B/node", PerNode(live) <= TargetBytesPerNode);
            report.Target($"≤ 1.5 KB RSS per node, {name}, live, with the snapshot cached", $"{PerNode(withSnapshot):N0} B/node", PerNode(withSnapshot) <= TargetBytesPerNode);
        }

        report.AddTable(["GC", "empty MB", "after the burst MB", "live MB", "+ snapshot MB", "peak MB", "B/node after the burst (idle)", "B/node live", "B/node live + snapshot", "snapshot KiB", "heartbeats"], rows);
        report.Notes.Add("The first row is the directory as shipped (Server GC with dynamic adaptation, DATAS, and System.GC.MaxHeapCount=1 in its runtimeconfig); the second is the same build with DOTNET_gcServer=0 in its environment (concurrent workstation GC), for comparison.");
        report.Notes.Add("\"After the burst\" is what the GC grew into while 100,000 registrations arrived as fast as the bench could send them, read while nothing runs: the GC returns free memory to the OS only as it collects, and an idle server does not collect. It is shown, not judged: a live network is never idle, and its RSS is the \"live\" columns.");
        ctx.Add(report);
    }

    private static string Mb(long bytes) => ScenarioReport.F(bytes / 1048576.0, 1);
}
