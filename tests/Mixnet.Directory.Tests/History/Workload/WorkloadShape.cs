namespace Mixnet.Directory.Tests.History.Workload;

/// <summary>How big a history run is; small enough to finish in a few seconds on a loaded 2-core machine.</summary>
internal sealed record WorkloadShape(
    int Writers = 6,
    int NodesPerWriter = 2,
    int OpsPerWriter = 50,
    int Fetchers = 2,
    int Watchers = 2,
    int BanRounds = 4,
    int MaxFetchesPerFetcher = 400,
    int MinPauseMs = 10,
    int MaxPauseMs = 40)
{
    /// <summary>Think time between a client's requests, so leases age and a run spans several TTLs.</summary>
    public TimeSpan Pause(Random random) => TimeSpan.FromMilliseconds(random.Next(MinPauseMs, MaxPauseMs));
}
