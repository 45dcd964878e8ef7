using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
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

    private long _failedEpochs;

    /// <summary>Epochs that ended without a new consensus since start.</summary>
    public long FailedEpochs => Interlocked.Read(ref _failedEpochs);

    /// <summary>The last epoch without a consensus, why, and when that was seen (null when none failed).</summary>
    public (ulong Epoch, string Reason, DateTimeOffset At)? LastFailure => Volatile.Read(ref _lastFailureBox)?.Value;

    private StrongBox<(ulong Epoch, string Reason, DateTimeOffset At)>? _lastFailureBox;

    public void Published() => _published.Add(1);

    public void Failed(ulong epoch, string reason, DateTimeOffset at)
    {
        Volatile.Write(ref _lastFailureBox, new StrongBox<(ulong, string, DateTimeOffset)>((epoch, reason, at)));
        Interlocked.Increment(ref _failedEpochs);
        _failed.Add(1);
    }

    public void PeerFailure(string operation) => _peerFailures.Add(1, new KeyValuePair<string, object?>("operation", operation));
}
