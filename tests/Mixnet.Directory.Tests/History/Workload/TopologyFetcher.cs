using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;

namespace Mixnet.Directory.Tests.History.Workload;

/// <summary>A client that polls GetTopology, half the time conditionally on the version it holds.</summary>
internal sealed class TopologyFetcher(string name, HistoryRecorder recorder, RawClients clients, WorkloadShape shape, Random random)
{
    private readonly TopologyReader _reader = new(name, recorder, clients);

    public async Task RunAsync(CancellationToken stop)
    {
        for (var i = 0; i < shape.MaxFetchesPerFetcher && !stop.IsCancellationRequested; i++)
        {
            await _reader.FetchAsync(known: random.Next(2) == 0 ? 0 : _reader.LastVersion, CancellationToken.None);
            await Task.Delay(shape.Pause(random), CancellationToken.None);
        }
    }
}
