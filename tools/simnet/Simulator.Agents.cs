using Mixnet.Directory.Client;
using static System.FormattableString;

namespace Mixnet.Directory.Simnet;

/// <summary>Starting and stopping the agents, a bounded number at a time.</summary>
public sealed partial class Simulator
{
    private async Task StartAgentsAsync(CancellationToken cancellationToken)
    {
        var total = _options.Mixnodes + _options.Gateways;
        Write(Invariant($"starting {_options.Mixnodes} mixnodes over 3 layers and {_options.Gateways} gateways on {_options.Host}:{_options.BasePort}-{_options.BasePort + total - 1}, {_options.StartConcurrency} at a time"));
        var roles = Enumerable.Range(0, total)
            .Select(i => i < _options.Mixnodes ? (NodeRole.Mixnode, (i % 3) + 1) : (NodeRole.Gateway, 0));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.StartConcurrency, CancellationToken = cancellationToken };
        var started = _time.GetTimestamp();
        await Parallel.ForEachAsync(roles, parallel, async (role, token) => await StartNodeAsync(role.Item1, role.Item2, token));
        Write(Invariant($"{_agentsRegistered}/{total} agents registered in {_time.GetElapsedTime(started).TotalSeconds:0.0} s"));
    }

    /// <summary>Starts one node and waits (bounded) for its registration; the agent keeps trying if that takes longer.</summary>
    private async Task<SimNode> StartNodeAsync(NodeRole role, int layer, CancellationToken cancellationToken)
    {
        var port = NextPort();
        var identity = NodeIdentity.Generate();
        var options = new NodeAgentOptions
        {
            DirectoryAddress = _options.Authorities.Count > 0 ? null : _options.Directory,
            Role = role,
            Layer = layer,
            Host = _options.Host,
            MixPort = port,
            ClientPort = role == NodeRole.Gateway ? port : 0,
            Version = "1.0.0",
            Location = Locations[port % Locations.Length],
        };
        foreach (var authority in _options.Authorities)
        {
            options.DirectoryAddresses.Add(authority.Address!);
        }

        var agent = new NodeAgent(identity, options, _loggerFactory, _time);
        var (dropper, liar) = role == NodeRole.Mixnode ? ChooseBehaviour() : (false, false);
        var node = new SimNode(identity, agent, role, layer, FormatEndpoint(_options.Host, port), port) { IsDropper = dropper, IsLiar = liar };
        _active[node.IdentityKey] = node;
        Interlocked.Increment(ref _agentsStarted);
        await agent.StartAsync(cancellationToken);
        try
        {
            await agent.WaitUntilRegisteredAsync(cancellationToken).WaitAsync(_options.RegisterTimeout, _time, cancellationToken);
            Interlocked.Increment(ref _agentsRegistered);
        }
        catch (TimeoutException)
        {
            Write(Invariant($"warning: {node.Label} not registered after {_options.RegisterTimeout.TotalSeconds:0} s ({agent.State}); it keeps trying"));
        }
        catch (InvalidOperationException ex)
        {
            Write(Invariant($"warning: {node.Label} refused by the directory: {agent.Fault?.Message ?? ex.Message}"));
        }

        return node;
    }

    /// <summary>Stops every agent that is still running (each deregisters), a bounded number at a time.</summary>
    private async Task StopAgentsAsync()
    {
        var nodes = _active.Values.ToList();
        _active.Clear();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.StartConcurrency };
        await Parallel.ForEachAsync(nodes, parallel, async (node, _) => await node.DisposeAsync());
        Write(Invariant($"stopped {nodes.Count} agents (deregistered)"));
    }

    private int NextPort()
    {
        var port = Interlocked.Increment(ref _nextPort) - 1;
        return port <= 65535 ? port : _options.BasePort + ((port - _options.BasePort) % (65536 - _options.BasePort));
    }

    private static string FormatEndpoint(string host, int port) =>
        host.Contains(':', StringComparison.Ordinal) ? Invariant($"[{host}]:{port}") : Invariant($"{host}:{port}");
}
