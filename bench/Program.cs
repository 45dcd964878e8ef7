using Mixnet.Directory.Bench;
using Mixnet.Directory.Bench.Infrastructure;
using Mixnet.Directory.Bench.Report;
using Mixnet.Directory.Bench.Scenarios;

if (args.Length > 0 && args[0] == ChildSubscriber.Command)
{
    return await ChildSubscriber.RunAsync(args[1..]);
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

ServerSettings.Common = options.ServerEnvironment;
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
    ProcessGuard.KillAll();
};

var scenarios = new Dictionary<string, Func<BenchContext, Task>>
{
    ["serialize"] = SerializeScenario.RunAsync,
    ["baseline"] = CoreScenarios.BaselineAsync,
    ["heartbeat"] = CoreScenarios.HeartbeatAsync,
    ["topology-not-modified"] = CoreScenarios.TopologyNotModifiedAsync,
    ["topology-full"] = CoreScenarios.TopologyFullAsync,
    ["register"] = RegisterScenario.RunAsync,
    ["watch"] = WatchScenario.RunAsync,
    ["metrics"] = MetricsScenario.RunAsync,
    ["quality"] = QualityScenario.RunAsync,
    ["quality-cost"] = QualityCostScenario.RunAsync,
    ["memory"] = MemoryScenario.RunAsync,
    ["etcd"] = EtcdScenario.RunAsync,
    ["killed-subscriber"] = KilledSubscriberScenario.RunAsync,
    ["soak"] = SoakScenario.RunAsync,
    ["consensus"] = ConsensusScenario.RunAsync,
};

var started = DateTimeOffset.UtcNow;
var machine = MachineInfo.Describe().ToList();
var failures = new List<string>();
using (var ctx = new BenchContext(options, cancel.Token))
{
    ctx.RunScenario = async name =>
    {
        if (!ctx.MarkRun(name))
        {
            return;
        }

        Console.WriteLine($"--- {name} ---");
        try
        {
            await scenarios[name](ctx);
        }
        catch (Exception ex) when (!cancel.IsCancellationRequested)
        {
            failures.Add($"{name}: {ex.GetType().Name}: {ex.Message}");
            Console.Error.WriteLine($"scenario {name} failed: {ex}");
        }
    };
    try
    {
        foreach (var name in options.Scenarios.Distinct())
        {
            await ctx.RunScenario(name);
        }
    }
    finally
    {
        ProcessGuard.KillAll();
    }

    if (cancel.IsCancellationRequested)
    {
        Console.Error.WriteLine("cancelled");
        return 130;
    }

    var path = options.OutputPath ?? (options.Quick
        ? Path.Combine(Path.GetTempPath(), "mixnet-bench-results-quick.md")
        : Path.Combine(BenchPaths.BenchDirectory, "results.md"));
    await File.WriteAllTextAsync(path, ResultsWriter.Write(options, machine, started, ctx.Reports, failures));
    Console.WriteLine($"results written to {path}");
    foreach (var check in ctx.Reports.SelectMany(r => r.Targets))
    {
        Console.WriteLine($"{check.Verdict.Trim('*'),-13} {check.Scenario}: {check.Target} -> {check.Measured}");
    }
}

foreach (var failure in failures)
{
    Console.Error.WriteLine($"FAILED {failure}");
}

// Missed targets never fail the run (CI runs --quick to keep the bench working, not to judge figures).
return failures.Count == 0 ? 0 : 1;
