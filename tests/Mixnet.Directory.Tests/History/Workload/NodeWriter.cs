using Grpc.Core;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.History.Workload;

/// <summary>
/// A client that registers its nodes, re-registers them with new fields, heartbeats, deregisters
/// and sometimes goes silent past the TTL; after each acknowledged write it fetches the topology
/// itself, the read most likely to catch a missing read-your-writes.
/// </summary>
internal sealed class NodeWriter(string name, int index, HistoryRecorder recorder, RawClients clients, WorkloadShape shape, HistoryRules rules, Random random) : IDisposable
{
    private readonly WriterNode[] _nodes = [.. Enumerable.Range(0, shape.NodesPerWriter).Select(_ => new WriterNode(new TestNode()))];
    private readonly TopologyReader _reader = new(name, recorder, clients);

    public IEnumerable<WriterNode> Nodes => _nodes;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Counts requests sent; steps where every node keeps quiet send none (bounded, so a run always ends).
        var sent = 0;
        for (var step = 0; sent < shape.OpsPerWriter && step < 4 * shape.OpsPerWriter; step++)
        {
            var awake = _nodes.Where(n => n.SilentUntil <= recorder.Now).ToArray();
            if (awake.Length > 0)
            {
                var (wrote, acknowledged) = await StepAsync(awake[random.Next(awake.Length)], cancellationToken);
                sent += wrote ? 1 : 0;
                if (acknowledged)
                {
                    await _reader.FetchAsync(known: random.Next(2) == 0 ? 0 : _reader.LastVersion, cancellationToken);
                }
            }

            await Task.Delay(shape.Pause(random), cancellationToken);
        }
    }

    public void Dispose()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }
    }

    /// <returns>Whether the step sent a write, and whether it was acknowledged.</returns>
    private async Task<(bool Wrote, bool Acknowledged)> StepAsync(WriterNode node, CancellationToken cancellationToken)
    {
        if (node.Lease is null)
        {
            return (true, await RegisterAsync(node, cancellationToken));
        }

        var roll = random.Next(100);
        if (roll < 60)
        {
            return (true, await HeartbeatAsync(node, cancellationToken));
        }

        if (roll < 80)
        {
            return (true, await RegisterAsync(node, cancellationToken));
        }

        if (roll < 93)
        {
            return (true, await DeregisterAsync(node, cancellationToken));
        }

        // Silent for longer than TTL + sweep, so the directory must drop the node meanwhile.
        node.SilentUntil = recorder.Now + rules.Ttl + rules.SweepInterval + TimeSpan.FromMilliseconds(200);
        return (false, false);
    }

    private async Task<bool> RegisterAsync(WriterNode node, CancellationToken cancellationToken)
    {
        // Every registration carries new fields and a newer signed_at, so each is a new descriptor.
        node.Revision++;
        var signedAt = DateTimeOffset.UtcNow;
        node.LastSignedAt = signedAt = signedAt > node.LastSignedAt ? signedAt : node.LastSignedAt.AddMilliseconds(1);
        var request = node.Node.RegisterRequest(signedAt, d =>
        {
            d.Version = $"1.{index}.{node.Revision}";
            d.Location = $"Rack {node.Revision % 7}";
        });
        var descriptor = NodeDescriptor.Parser.ParseFrom(request.Descriptor_);
        var id = recorder.NextId();
        var invoked = recorder.Now;
        try
        {
            var response = await clients.Registry.RegisterNodeAsync(request, deadline: CallOutcome.Deadline, cancellationToken: cancellationToken);
            recorder.Add(new WriteOp(id, name, WriteKind.Register, node.Identity, invoked, recorder.Now, WriteOutcome.Ok, descriptor, response.TopologyVersion, id));
            node.Node.LeaseToken = response.LeaseToken;
            node.Lease = id;
            return true;
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var outcome = CallOutcome.Of(ex);
            recorder.Add(new WriteOp(id, name, WriteKind.Register, node.Identity, invoked, outcome == WriteOutcome.Refused ? recorder.Now : null, outcome, descriptor, null, id));
            node.Lease = null;
            return false;
        }
    }

    private async Task<bool> HeartbeatAsync(WriterNode node, CancellationToken cancellationToken)
    {
        var id = recorder.NextId();
        var invoked = recorder.Now;
        try
        {
            var response = await clients.Presence.HeartbeatAsync(node.Node.HeartbeatRequest(), deadline: CallOutcome.Deadline, cancellationToken: cancellationToken);
            recorder.Add(new WriteOp(id, name, WriteKind.Heartbeat, node.Identity, invoked, recorder.Now, WriteOutcome.Ok, null, response.TopologyVersion, node.Lease));
            return true;
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var outcome = CallOutcome.Of(ex);
            recorder.Add(new WriteOp(id, name, WriteKind.Heartbeat, node.Identity, invoked, outcome == WriteOutcome.Refused ? recorder.Now : null, outcome, null, null, node.Lease));
            node.Lease = null; // Expired, banned or replaced: register again.
            return false;
        }
    }

    private async Task<bool> DeregisterAsync(WriterNode node, CancellationToken cancellationToken)
    {
        var id = recorder.NextId();
        var invoked = recorder.Now;
        var request = new DeregisterNodeRequest { IdentityKey = node.Identity, LeaseToken = node.Node.LeaseToken };
        WriteOutcome outcome;
        try
        {
            await clients.Registry.DeregisterNodeAsync(request, deadline: CallOutcome.Deadline, cancellationToken: cancellationToken);
            outcome = WriteOutcome.Ok;
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = CallOutcome.Of(ex);
        }

        recorder.Add(new WriteOp(id, name, WriteKind.Deregister, node.Identity, invoked, outcome == WriteOutcome.Unknown ? null : recorder.Now, outcome, null, null, node.Lease));
        node.Lease = null;
        return outcome == WriteOutcome.Ok;
    }
}
