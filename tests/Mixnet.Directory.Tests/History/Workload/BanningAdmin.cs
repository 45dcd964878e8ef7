using Mixnet.Directory.Tests.Infrastructure;
using Grpc.Core;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.History.Workload;

/// <summary>An operator who bans a random node, checks the topology, and lifts the ban a little later.</summary>
internal sealed class BanningAdmin(HistoryRecorder recorder, RawClients clients, AdminService.AdminServiceClient admin, Metadata bearer, IReadOnlyList<WriterNode> nodes, WorkloadShape shape, Random random)
{
    private readonly TopologyReader _reader = new("admin", recorder, clients);

    public async Task RunAsync(CancellationToken stop)
    {
        for (var round = 0; round < shape.BanRounds && !stop.IsCancellationRequested; round++)
        {
            var node = nodes[random.Next(nodes.Count)];
            await PauseAsync(5);
            var invoked = recorder.Now;
            await admin.BanNodeAsync(new BanNodeRequest { IdentityKey = node.Identity, Reason = "history test" }, bearer, CallOutcome.Deadline);
            recorder.Add(new WriteOp(recorder.NextId(), "admin", WriteKind.Ban, node.Identity, invoked, recorder.Now, WriteOutcome.Ok));
            await _reader.FetchAsync(known: 0, CancellationToken.None);
            await PauseAsync(5);
            invoked = recorder.Now;
            await admin.UnbanNodeAsync(new UnbanNodeRequest { IdentityKey = node.Identity }, bearer, CallOutcome.Deadline);
            recorder.Add(new WriteOp(recorder.NextId(), "admin", WriteKind.Unban, node.Identity, invoked, recorder.Now, WriteOutcome.Ok));
        }
    }

    private async Task PauseAsync(int times)
    {
        for (var i = 0; i < times; i++)
        {
            await Task.Delay(shape.Pause(random), CancellationToken.None);
        }
    }
}
