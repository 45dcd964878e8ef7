using Grpc.Core;
using Grpc.Health.V1;
using Mixnet.Directory.Bench.Infrastructure;
using Mixnet.Directory.Bench.Load;
using Mixnet.Directory.Bench.Report;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Bench.Scenarios;

/// <summary>baseline, heartbeat and the two topology reads, all on the one populated directory.</summary>
internal static class CoreScenarios
{
    public static async Task BaselineAsync(BenchContext ctx)
    {
        var core = await ctx.CoreAsync();
        var clients = Clients(core.Channels, c => new Health.HealthClient(c));
        var request = new HealthCheckRequest();
        var result = await Closed(ctx, core, "Health/Check", ctx.Options.Unary, async (call, ct) =>
        {
            await clients[call.Worker % clients.Length].CheckAsync(request, cancellationToken: ct);
            return true;
        });
        ctx.Baseline = result;
        var report = new ScenarioReport("baseline", "`grpc.health.v1.Health/Check` on the same directory process: the framework's floor for a unary call over HTTP/2 on this machine.");
        report.Settings.Add($"directory with {core.Nodes.Length:N0} registered nodes; {core.Server.Description}");
        report.AddLoad(result);
        ctx.Add(report);
    }

    public static async Task HeartbeatAsync(BenchContext ctx)
    {
        await ctx.EnsureAsync("baseline");
        var core = await ctx.CoreAsync();
        var clients = Clients(core.Channels, c => new PresenceService.PresenceServiceClient(c));
        var nodes = core.Nodes;
        LoadCall heartbeat = async (call, ct) =>
        {
            await clients[call.Worker % clients.Length].HeartbeatAsync(nodes[call.Sequence % nodes.Length].Heartbeat, cancellationToken: ct);
            return true;
        };
        var max = await Closed(ctx, core, "Heartbeat (max)", ctx.Options.Unary, heartbeat);
        ctx.Heartbeat = max;
        var half = await LoadRunner.PacedAsync(
            "Heartbeat (half load)", () => core.Server.Pid, () => core.Server.CpuTime, max.Rps / 2, core.Channels.Count, 1024,
            ctx.Options.Warmup, ctx.Options.Duration, heartbeat, ctx.Token);
        var quarter = await LoadRunner.PacedAsync(
            "Heartbeat (quarter load, for reference)", () => core.Server.Pid, () => core.Server.CpuTime, max.Rps / 4, core.Channels.Count, 1024,
            ctx.Options.Warmup, ctx.Options.Duration, heartbeat, ctx.Token);
        var report = new ScenarioReport("heartbeat", $"`PresenceService/Heartbeat` from {nodes.Length:N0} registered nodes, round-robin; then paced (open-loop) runs at a half and a quarter of the measured maximum.");
        report.AddLoad(ctx.Baseline!, max, half, quarter);
        var ratio = max.Rps / ctx.Baseline!.Rps;
        report.Target("≥ 0.9 × baseline calls/s", $"{ratio:F2} × ({max.Rps:N0} vs {ctx.Baseline.Rps:N0}/s)", ratio >= 0.9);
        report.Target("p99 at half load ≤ 2 ms", $"{half.Ms(99):F3} ms at {half.Rps:N0}/s", half.Ms(99) <= 2.0);
        report.Notes.Add("Paced latency is measured from each call's actual start; the scheduler's own lateness is shown in the shape column. Paced calls batch less than closed-loop ones, so each costs the server and the bench more CPU: compare the CPU columns to see how busy the two shared cores were at \"half load\".");
        ctx.Add(report);
    }

    public static async Task TopologyNotModifiedAsync(BenchContext ctx)
    {
        await ctx.EnsureAsync("baseline");
        var core = await ctx.CoreAsync();
        var clients = Clients(core.Channels, c => new TopologyService.TopologyServiceClient(c));
        var request = new GetTopologyRequest { KnownVersion = core.Version };
        var result = await Closed(ctx, core, "GetTopology (not modified)", ctx.Options.Unary, async (call, ct) =>
        {
            var reply = await clients[call.Worker % clients.Length].GetTopologyAsync(request, cancellationToken: ct);
            return reply.Topology is null ? true : throw new InvalidOperationException("the topology changed during the run (a full snapshot came back)");
        });
        var report = new ScenarioReport("topology-not-modified", $"Conditional `TopologyService/GetTopology` with `known_version` = the current version, {core.Nodes.Length:N0} nodes: the answer is an empty response.");
        report.AddLoad(ctx.Baseline!, result);
        var ratio = result.Rps / ctx.Baseline!.Rps;
        report.Target("≥ 0.9 × baseline calls/s", $"{ratio:F2} × ({result.Rps:N0} vs {ctx.Baseline.Rps:N0}/s)", ratio >= 0.9);
        ctx.Add(report);
    }

    public static async Task TopologyFullAsync(BenchContext ctx)
    {
        await ctx.EnsureAsync("serialize");
        var core = await ctx.CoreAsync();
        var result = await FullTopologyLoadAsync(ctx, core, core.BulkChannels, $"GetTopology (full), {ctx.Options.BulkStreamWindow / 1024:N0} KiB stream window");
        ctx.TopologyFull = result;
        using var defaultWindow = new ChannelPool(core.Server.GrpcAddress, ctx.Options.Bulk.Connections);
        var smallWindow = await FullTopologyLoadAsync(ctx, core, defaultWindow, "GetTopology (full), client's default 64 KiB window");
        var report = new ScenarioReport("topology-full", $"Full signed `GetTopology` (`known_version` = 0) of {core.Nodes.Length:N0} nodes; responses are counted, not parsed. Compared with serializing the same size of `TopologySnapshot` once (the `serialize` microbenchmark). The first row is the target's: bulk channels open each stream with a {ctx.Options.BulkStreamWindow / 1024:N0} KiB HTTP/2 receive window (`SocketsHttpHandler.InitialHttp2StreamWindowSize`, `--bulk-window`); the second keeps the client default, where the server spends its time waking for WINDOW_UPDATE frames.");
        report.AddLoad(result, smallWindow);
        var perFetchUs = result.ServerCpuPerRequestUs;
        if (ctx.SerializeNs is { } serializeNs)
        {
            var serializeUs = serializeNs / 1000;
            var ratio = perFetchUs / serializeUs;
            report.Target("server CPU per fetch ≤ 0.5 × serializing the snapshot once", $"{ratio:F2} × ({perFetchUs:N0} µs vs {serializeUs:N0} µs)", ratio <= 0.5);
        }
        else
        {
            report.Target("server CPU per fetch ≤ 0.5 × serializing the snapshot once", $"{perFetchUs:N0} µs per fetch; serialization not measured", null);
        }

        ctx.Add(report);
    }

    /// <summary>Full-topology fetches as raw bytes; also used by the etcd comparison.</summary>
    public static Task<LoadResult> FullTopologyLoadAsync(BenchContext ctx, CoreServer core, ChannelPool channels, string name)
    {
        var method = RawMethods.Unary<GetTopologyRequest>("mixnet.directory.v1.TopologyService", "GetTopology");
        var invokers = Enumerable.Range(0, channels.Count).Select(i => channels[i].CreateCallInvoker()).ToArray();
        var request = new GetTopologyRequest();
        var minimum = core.Nodes.Length * 60;
        return Closed(ctx, core, name, ctx.Options.Bulk, async (call, ct) =>
        {
            var bytes = await invokers[call.Worker % invokers.Length].AsyncUnaryCall(method, null, new CallOptions(cancellationToken: ct), request);
            return bytes.Length >= minimum ? true : throw new InvalidOperationException($"a topology of {bytes.Length} bytes is too small for {core.Nodes.Length} nodes");
        });
    }

    public static Task<LoadResult> Closed(BenchContext ctx, CoreServer core, string name, LoadShape shape, LoadCall call) =>
        LoadRunner.ClosedLoopAsync(name, () => core.Server.Pid, () => core.Server.CpuTime, shape, ctx.Options.Warmup, ctx.Options.Duration, call, ctx.Token);

    public static T[] Clients<T>(ChannelPool channels, Func<Grpc.Net.Client.GrpcChannel, T> create) =>
        Enumerable.Range(0, channels.Count).Select(i => create(channels[i])).ToArray();
}
