using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.History.Workload;

/// <summary>GetTopology for one observer, recorded with its start and end; remembers the last version seen for conditional fetches.</summary>
internal sealed class TopologyReader(string observer, HistoryRecorder recorder, RawClients clients)
{
    public ulong LastVersion { get; private set; }

    public async Task FetchAsync(ulong known, CancellationToken cancellationToken)
    {
        var invoked = recorder.Now;
        var response = await clients.Topology.GetTopologyAsync(new GetTopologyRequest { KnownVersion = known }, deadline: CallOutcome.Deadline, cancellationToken: cancellationToken);
        var completed = recorder.Now;
        recorder.Add(new Observation(recorder.NextId(), observer, ObservationKind.Fetch, invoked, completed, known, response.Topology));
        if (response.Topology is { } signed)
        {
            LastVersion = TopologySnapshot.Parser.ParseFrom(signed.Topology).Version;
        }
    }
}
