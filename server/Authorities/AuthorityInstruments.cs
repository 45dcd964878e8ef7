using System.Diagnostics.Metrics;
using Mixnet.Directory.Server.Telemetry;

namespace Mixnet.Directory.Server.Authorities;

/// <summary>Counters of the epoch loop, on the directory's meter (exported with the others).</summary>
internal sealed class AuthorityInstruments
{
    private readonly Counter<long> _published;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _peerFailures;

    public AuthorityInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(DirectoryInstruments.MeterName);
        _published = meter.CreateCounter<long>("mixnet.directory.consensus.published", description: "Epochs whose consensus this authority published with enough signatures");
        _failed = meter.CreateCounter<long>("mixnet.directory.consensus.failed", description: "Epochs that ended without a new consensus");
        _peerFailures = meter.CreateCounter<long>("mixnet.directory.authority.peer_failures", description: "Failed calls to other authorities");
    }

    public long FailedEpochs;

    public void Published() => _published.Add(1);

    public void Failed()
    {
        Interlocked.Increment(ref FailedEpochs);
        _failed.Add(1);
    }

    public void PeerFailure(string operation) => _peerFailures.Add(1, new KeyValuePair<string, object?>("operation", operation));
}
