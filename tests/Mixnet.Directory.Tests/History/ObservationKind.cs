namespace Mixnet.Directory.Tests.History;

/// <summary>Where an observed topology came from.</summary>
public enum ObservationKind
{
    /// <summary>A GetTopology answer: a snapshot, or "not modified" when no snapshot came back.</summary>
    Fetch,

    /// <summary>One message of a WatchTopology stream: a snapshot or a delta.</summary>
    Watch,
}
