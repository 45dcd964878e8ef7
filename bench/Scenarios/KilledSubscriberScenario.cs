using System.Diagnostics;
using System.Globalization;
using Mixnet.Directory.Bench.Infrastructure;
using Mixnet.Directory.Bench.Nodes;
using Mixnet.Directory.Bench.Report;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Bench.Scenarios;

/// <summary>
/// killed-subscriber: a separate process holds watch and metrics streams and is killed (SIGKILL);
/// the server's CPU is sampled in 2-second windows before, during and after, while the topology
/// keeps changing so that live handlers would have work. A handler that ignored cancellation
/// would keep the post-kill windows above the idle one.
/// </summary>
internal static class KilledSubscriberScenario
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(BenchContext ctx)
    {
        var watchers = ctx.Options.Quick ? 200 : 500;
        const int subscribers = 100;
        var baseNodes = NodeFactory.Create(200);
        var joins = NodeFactory.Create(600);
        using var server = await ServerProcess.StartAsync(new ServerSettings(MaxNodes: 10_000), ctx.Token);
        using var channels = new ChannelPool(server.GrpcAddress, 1);
        await Registrar.RegisterAllAsync(channels, baseNodes, ctx.Token);
        using var churnStop = CancellationTokenSource.CreateLinkedTokenSource(ctx.Token);
        var churn = ChurnAsync(new RegistryService.RegistryServiceClient(channels[0]), joins, ctx.Options.ChangesPerSecond, churnStop.Token);

        var rows = new List<string[]>();
        async Task<double> SampleAsync(string phase)
        {
            var cpu0 = server.CpuTime;
            var start = Stopwatch.GetTimestamp();
            await Task.Delay(Window, ctx.Token);
            var msPerSecond = (server.CpuTime - cpu0).TotalMilliseconds / Stopwatch.GetElapsedTime(start).TotalSeconds;
            rows.Add([phase, ScenarioReport.F(msPerSecond, 1)]);
            return msPerSecond;
        }

        // A first child warms the server's streaming paths up (JIT, tiering, buffers); the figures come from a second one.
        var warmup = await StartChildAsync(server, watchers, subscribers, ctx.Token);
        ProcessGuard.Kill(warmup);
        warmup.Dispose();
        await SettleAsync(server, ctx.Token);
        var idle = await SampleAsync("no subscribers (churn only)");
        using var child = await StartChildAsync(server, watchers, subscribers, ctx.Token);
        var connected = await SampleAsync($"child connected: {watchers} watchers + {subscribers} metrics subscribers");
        ProcessGuard.Kill(child);
        var after0 = await SampleAsync("0–2 s after SIGKILL");
        var after2 = await SampleAsync("2–4 s after SIGKILL");
        var after4 = await SampleAsync("4–6 s after SIGKILL");
        await churnStop.CancelAsync();
        await churn;

        var report = new ScenarioReport("killed-subscriber", "A child process opens watch and metrics streams and is killed with SIGKILL; the directory's CPU is sampled in 2 s windows while nodes keep joining and leaving (so live handlers would have work).");
        report.AddTable(["phase", "server CPU ms per s"], rows);
        // The steady state is the lower of the idle sample and the last one, whichever the machine's noise spared.
        var steady = Math.Min(idle, after4);
        var allowance = Math.Max(steady * 1.5, steady + 20);
        report.Target("a killed subscriber/watcher stops costing server CPU within 2 s", $"{after2:F1} ms/s 2–4 s after the kill vs {steady:F1} ms/s steady ({connected:F1} connected; allowance {allowance:F1})", after2 <= allowance);
        report.Notes.Add($"0–2 s after the kill: {after0:F1} ms/s; 4–6 s: {after4:F1} ms/s. The kill closes the sockets, so Kestrel sees the streams end; a peer that vanishes without closing its connection is not covered here.");
        ctx.Add(report);
    }

    private static async Task<Process> StartChildAsync(ServerProcess server, int watchers, int subscribers, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(ServerProcess.DotnetHost()) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { typeof(ChildSubscriber).Assembly.Location, ChildSubscriber.Command, server.GrpcAddress, watchers.ToString(CultureInfo.InvariantCulture), subscribers.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the child subscriber");
        ProcessGuard.Track(child);
        child.ErrorDataReceived += (_, _) => { };
        child.BeginErrorReadLine();
        var line = await child.StandardOutput.ReadLineAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(90), cancellationToken);
        if (line != "ready")
        {
            ProcessGuard.Kill(child);
            child.Dispose();
            throw new InvalidOperationException($"the child subscriber did not get ready (said '{line}')");
        }

        return child;
    }

    /// <summary>Waits until the server's CPU is steady: three 1 s samples within 30 % (+10 ms) of each other, at most 30 s.</summary>
    private static async Task SettleAsync(ServerProcess server, CancellationToken cancellationToken)
    {
        var begin = Stopwatch.GetTimestamp();
        var samples = new List<double>();
        while (Stopwatch.GetElapsedTime(begin) < TimeSpan.FromSeconds(30))
        {
            var cpu0 = server.CpuTime;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            samples.Add((server.CpuTime - cpu0).TotalMilliseconds);
            if (samples.Count >= 3 && samples[^3..].Max() <= (samples[^3..].Min() * 1.3) + 10)
            {
                break;
            }
        }

        Console.WriteLine($"killed-subscriber: settling, server CPU ms per 1 s: {string.Join(", ", samples.Select(s => s.ToString("F0", CultureInfo.InvariantCulture)))}");
    }

    private static async Task ChurnAsync(RegistryService.RegistryServiceClient registry, BenchNode[] joins, int rate, CancellationToken cancellationToken)
    {
        var live = new Queue<BenchNode>();
        var next = 0;
        try
        {
            for (var i = 0; !cancellationToken.IsCancellationRequested; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(1.0 / rate), cancellationToken);
                if (i % 2 == 0 && next < joins.Length)
                {
                    var node = joins[next++];
                    var reply = await registry.RegisterNodeAsync(node.Register, cancellationToken: cancellationToken);
                    node.Registered(reply.LeaseToken);
                    live.Enqueue(node);
                }
                else if (live.Count > 0)
                {
                    var node = live.Dequeue();
                    await registry.DeregisterNodeAsync(new DeregisterNodeRequest { IdentityKey = node.IdentityKey, LeaseToken = node.LeaseToken }, cancellationToken: cancellationToken);
                }
            }
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or Grpc.Core.RpcException)
        {
        }
    }
}
