using Mixnet.Directory.Tests.Infrastructure;
using Grpc.Core;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.History.Workload;

/// <summary>
/// A client that opens WatchTopology streams one after another, reads a few messages from each
/// and records every snapshot and delta; each new stream's first snapshot is a read that must
/// already reflect every write acknowledged before the stream opened.
/// </summary>
internal sealed class TopologyWatchClient(string name, HistoryRecorder recorder, RawClients clients, Random random)
{
    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var stream = recorder.NextId();
            var opened = recorder.Now;
            var wanted = random.Next(3, 12);
            using var call = clients.Topology.WatchTopology(new WatchTopologyRequest(), cancellationToken: stop);
            try
            {
                for (var read = 0; read < wanted && await call.ResponseStream.MoveNext(stop); read++)
                {
                    var message = call.ResponseStream.Current;
                    var at = recorder.Now;
                    recorder.Add(new Observation(recorder.NextId(), name, ObservationKind.Watch, read == 0 ? opened : at, at, 0,
                        message.Snapshot, message.Delta, stream, OpensStream: read == 0));
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && stop.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }
    }
}
