using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.History;

/// <summary>
/// One topology read as an observer saw it. A fetch's <see cref="Invoked"/> is when the call
/// started; a watch stream's first message carries the stream's start, later messages their
/// arrival (they were not asked for, so no read-your-writes promise applies to them).
/// </summary>
public sealed record Observation(
    int Id,
    string Observer,
    ObservationKind Kind,
    TimeSpan Invoked,
    TimeSpan Completed,
    ulong KnownVersion = 0,
    SignedTopology? Snapshot = null,
    SignedTopologyDelta? Delta = null,
    int Stream = 0,
    bool OpensStream = false)
{
    /// <summary>A fetch, or the first message of a watch: reads whose start a promise can refer to.</summary>
    public bool IsRead => Kind == ObservationKind.Fetch || OpensStream;

    public bool IsNotModified => Kind == ObservationKind.Fetch && Snapshot is null;

    public override string ToString() =>
        $"#{Id} {Observer} {Kind}{(Kind == ObservationKind.Watch ? $"[stream {Stream}]" : string.Empty)} [{HistoryFormat.Time(Invoked)}..{HistoryFormat.Time(Completed)}]"
        + (IsNotModified ? $" not-modified@v{KnownVersion}" : Delta is not null ? " delta" : " snapshot");
}
