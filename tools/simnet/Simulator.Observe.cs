using Grpc.Core;
using Mixnet.Directory.Client;
using static System.FormattableString;

namespace Mixnet.Directory.Simnet;

/// <summary>What the simulator learns from the directory: the topology it routes on, and the metrics it checks itself against.</summary>
public sealed partial class Simulator
{
    private readonly Lock _statsGate = new();
    private ulong _directorySent;
    private ulong _directoryReceived;
    private ulong _intervalSent;
    private ulong _intervalReceived;
    private TimeSpan _intervalWindows;
    private MetricsFrame? _lastFrame;
    private long _lastStatusPackets;
    private TimeSpan _lastStatusAt;

    private async Task WatchTopologyAsync(DirectoryClient client, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in client.WatchTopologyAsync(cancellationToken))
            {
                _topology = update.Topology;
            }
        }
        catch (Exception ex) when ((ex is OperationCanceledException or RpcException) && cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is RpcException or TopologyVerificationException)
        {
            Write($"warning: topology watch ended: {ex.Message}");
        }
    }

    private async Task ObserveMetricsAsync(DirectoryClient client, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var frame in client.StreamMetricsAsync(null, 0, cancellationToken))
            {
                _flush.Observe(frame);
                lock (_statsGate)
                {
                    _directorySent += frame.NetworkSent;
                    _directoryReceived += frame.NetworkReceived;
                    _intervalSent += frame.NetworkSent;
                    _intervalReceived += frame.NetworkReceived;
                    _intervalWindows += frame.Window;
                    _lastFrame = frame;
                }
            }
        }
        catch (Exception ex) when ((ex is OperationCanceledException or RpcException) && cancellationToken.IsCancellationRequested)
        {
        }
        catch (RpcException ex)
        {
            Write($"warning: metrics stream ended: {ex.Status.Detail}");
        }
    }

    /// <summary>One line: agents, packets and their rate, topology version, what the directory counts.</summary>
    private void WriteStatus()
    {
        var registered = _active.Values.Count(n => n.Agent.State == NodeAgentState.Registered);
        var now = Elapsed;
        var packets = Packets;
        var rate = (packets - _lastStatusPackets) / Math.Max(0.001, (now - _lastStatusAt).TotalSeconds);
        _lastStatusPackets = packets;
        _lastStatusAt = now;
        var topology = _topology;
        string directory;
        lock (_statsGate)
        {
            var seconds = _intervalWindows.TotalSeconds;
            directory = _lastFrame is null || seconds <= 0
                ? "no metrics frame yet"
                : Invariant($"{_lastFrame.LiveNodes} live, {_intervalSent / seconds:N0} sent/s, {_intervalReceived / seconds:N0} received/s");
            _intervalSent = 0;
            _intervalReceived = 0;
            _intervalWindows = TimeSpan.Zero;
        }

        Write(Invariant($"agents {registered}/{_active.Count} registered | packets {packets:N0} ({rate:N0}/s)")
            + TopologyStatus(topology)
            + " | directory: " + directory
            + QualityStatus(topology)
            + (_churned > 0 ? Invariant($" | churned {_churned}") : "")
            + (Interlocked.Read(ref _unroutable) is > 0 and var skipped ? Invariant($" | {skipped:N0} unroutable") : ""));
    }

    /// <summary>The topology part of the status line; for a consensus, its epoch and how many authorities signed it.</summary>
    private string TopologyStatus(Topology? topology) => topology switch
    {
        null => " | no topology yet",
        { Consensus: { } consensus } => Invariant($" | consensus epoch {consensus.Epoch}, {consensus.Signers}/{_options.Authorities.Count} signers (need {consensus.Threshold}): {topology.Mixnodes.Count} mixnodes, {topology.Gateways.Count} gateways"),
        _ => Invariant($" | topology v{topology.Version}: {topology.Mixnodes.Count} mixnodes, {topology.Gateways.Count} gateways"),
    };
}
