using Mixnet.Directory.Bench.Infrastructure;
using Mixnet.Directory.Bench.Load;
using Mixnet.Directory.Bench.Nodes;
using Mixnet.Directory.Bench.Report;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Bench;

/// <summary>
/// What the scenarios of one run share: the options, the reports, the figures that ratios are
/// built from, and the populated directory that baseline, heartbeat and topology run against.
/// </summary>
internal sealed class BenchContext(BenchOptions options, CancellationToken cancellationToken) : IDisposable
{
    private readonly HashSet<string> _done = [];
    private CoreServer? _core;

    public BenchOptions Options { get; } = options;

    public CancellationToken Token { get; } = cancellationToken;

    public List<ScenarioReport> Reports { get; } = [];

    public Func<string, Task>? RunScenario { get; set; }

    public LoadResult? Baseline { get; set; }

    public LoadResult? Heartbeat { get; set; }

    public LoadResult? TopologyFull { get; set; }

    /// <summary>Mean time to serialize the core topology snapshot once, in nanoseconds.</summary>
    public double? SerializeNs { get; set; }

    public bool MarkRun(string scenario) => _done.Add(scenario);

    /// <summary>Runs a scenario this one needs a figure from, unless it already ran.</summary>
    public async Task EnsureAsync(string scenario)
    {
        if (!_done.Contains(scenario) && RunScenario is not null)
        {
            await RunScenario(scenario);
        }
    }

    public ScenarioReport Add(ScenarioReport report)
    {
        Reports.Add(report);
        Console.WriteLine(report.ToConsole());
        return report;
    }

    /// <summary>The directory with <see cref="BenchOptions.Nodes"/> live nodes, started once per run.</summary>
    public async Task<CoreServer> CoreAsync()
    {
        if (_core is not null)
        {
            return _core;
        }

        Console.WriteLine($"core: signing {Options.Nodes:N0} descriptors, starting the directory and registering them");
        var nodes = NodeFactory.Create(Options.Nodes);
        var server = await ServerProcess.StartAsync(new ServerSettings(MaxNodes: Math.Max(100_000, Options.Nodes * 2)), Token);
        var channels = new ChannelPool(server.GrpcAddress, Options.Unary.Connections);
        var bulk = new ChannelPool(server.GrpcAddress, Options.Bulk.Connections, Options.BulkStreamWindow);
        await Registrar.RegisterAllAsync(channels, nodes, Token);
        var version = await WaitForPublishedVersionAsync(channels, nodes.Length, Token);
        _core = new CoreServer(server, channels, bulk, nodes, version);
        return _core;
    }

    /// <summary>Waits until the published snapshot holds every registered node and returns its version.</summary>
    public static async Task<ulong> WaitForPublishedVersionAsync(ChannelPool channels, int nodeCount, CancellationToken cancellationToken)
    {
        var client = new TopologyService.TopologyServiceClient(channels[0]);
        for (var attempt = 0; ; attempt++)
        {
            var reply = await client.GetTopologyAsync(new GetTopologyRequest(), cancellationToken: cancellationToken);
            var snapshot = TopologySnapshot.Parser.ParseFrom(reply.Topology.Topology);
            if (snapshot.Mixnodes.Count + snapshot.Gateways.Count >= nodeCount || attempt > 100)
            {
                return snapshot.Version;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public void Dispose()
    {
        _core?.Dispose();
        _core = null;
    }
}
