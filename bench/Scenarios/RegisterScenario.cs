using Mixnet.Directory.Bench.Infrastructure;
using Mixnet.Directory.Bench.Load;
using Mixnet.Directory.Bench.Nodes;
using Mixnet.Directory.Bench.Report;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Bench.Scenarios;

/// <summary>register: signed registrations of fresh identities, signed before the timed part, on a fresh directory.</summary>
internal static class RegisterScenario
{
    /// <summary>Registrations a second the pool is sized for; a faster server ends the window early, and that is reported.</summary>
    private const int PoolRate = 12_000;

    public static async Task RunAsync(BenchContext ctx)
    {
        var options = ctx.Options;
        var poolSize = (int)((options.Warmup + options.Duration).TotalSeconds * PoolRate);
        Console.WriteLine($"register: signing {poolSize:N0} fresh descriptors");
        var pool = NodeFactory.Create(poolSize);
        using var server = await ServerProcess.StartAsync(new ServerSettings(MaxNodes: poolSize + 16), ctx.Token);
        using var channels = new ChannelPool(server.GrpcAddress, options.Unary.Connections);
        var clients = CoreScenarios.Clients(channels, c => new RegistryService.RegistryServiceClient(c));
        var result = await LoadRunner.ClosedLoopAsync("RegisterNode (fresh identities)", () => server.Pid, () => server.CpuTime, options.Unary, options.Warmup, options.Duration, async (call, ct) =>
        {
            if (call.Sequence >= pool.Length)
            {
                return false;
            }

            await clients[call.Worker % clients.Length].RegisterNodeAsync(pool[call.Sequence].Register, cancellationToken: ct);
            return true;
        }, ctx.Token);
        var report = new ScenarioReport("register", "`RegistryService/RegisterNode` with a fresh identity each call (the server parses, validates and verifies the Ed25519 signature, then publishes a new topology version); descriptors are signed before the timed part.");
        report.Settings.Add($"fresh directory; {server.Description}; pool of {poolSize:N0} pre-signed descriptors");
        report.AddLoad(result);
        if (result.Elapsed < options.Duration * 0.95)
        {
            report.Notes.Add($"The pre-signed pool ran out after {result.Elapsed.TotalSeconds:F1} s of the {options.Duration.TotalSeconds:F0} s window; the rate is over the time measured.");
        }

        report.Target("≥ 5,000 registrations/s", $"{result.Rps:N0}/s", result.Rps >= 5_000);
        ctx.Add(report);
    }
}
