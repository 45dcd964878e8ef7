namespace Mixnet.Directory.Tests.History;

/// <summary>
/// Version order: per observer (never backwards), in real time across observers (a read started
/// after another returned sees at least its version), and after acknowledged writes and
/// heartbeats (a read started after one returned version V sees at least V).
/// </summary>
internal static class OrderChecks
{
    public static void Run(RecordedHistory history, IReadOnlyDictionary<int, TopologyView> views, List<Violation> violations)
    {
        PerObserver(history, views, violations);
        var reads = history.Observations.Where(o => o.IsRead && views.ContainsKey(o.Id)).ToList();

        var seen = history.Observations
            .Where(o => views.ContainsKey(o.Id))
            .Select(o => (o.Completed, views[o.Id].Version, Source: o.ToString()));
        foreach (var (read, source, version) in LaterReadsBelow(reads, views, seen))
        {
            violations.Add(new Violation(Invariants.MonotonicReads,
                $"{read} saw v{views[read.Id].Version}, but {source} had already returned v{version} before it started"));
        }

        var acknowledged = history.Writes
            .Where(w => w is { Outcome: WriteOutcome.Ok, Completed: not null, Version: not null })
            .Select(w => (w.Completed!.Value, w.Version!.Value, Source: w.ToString()));
        foreach (var (read, source, version) in LaterReadsBelow(reads, views, acknowledged))
        {
            violations.Add(new Violation(Invariants.ReadYourWrites,
                $"{read} saw v{views[read.Id].Version}, but {source} had returned topology_version {version} before it started"));
        }
    }

    private static void PerObserver(RecordedHistory history, IReadOnlyDictionary<int, TopologyView> views, List<Violation> violations)
    {
        foreach (var observer in history.Observations.GroupBy(o => o.Observer))
        {
            Observation? previous = null;
            foreach (var observation in observer.OrderBy(o => o.Id))
            {
                if (!views.TryGetValue(observation.Id, out var view))
                {
                    continue;
                }

                if (observation is { Kind: ObservationKind.Fetch, Snapshot: not null, KnownVersion: not 0 } && view.Version == observation.KnownVersion)
                {
                    violations.Add(new Violation(Invariants.NotModified, $"{observation} sent a snapshot of v{view.Version}, the version the caller said it had"));
                }

                if (previous is not null && view.Version < views[previous.Id].Version)
                {
                    violations.Add(new Violation(Invariants.Monotonic,
                        $"{observation} saw v{view.Version} after the same observer saw v{views[previous.Id].Version} ({previous})"));
                }

                previous = observation;
            }
        }
    }

    /// <summary>Each read whose version is below the highest version any source returned before the read started.</summary>
    private static IEnumerable<(Observation Read, string Source, ulong Version)> LaterReadsBelow(
        List<Observation> reads,
        IReadOnlyDictionary<int, TopologyView> views,
        IEnumerable<(TimeSpan Completed, ulong Version, string Source)> sources)
    {
        var sorted = sources.OrderBy(s => s.Completed).ToArray();
        var best = new (ulong Version, string Source)[sorted.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            best[i] = i > 0 && best[i - 1].Version >= sorted[i].Version ? best[i - 1] : (sorted[i].Version, sorted[i].Source);
        }

        foreach (var read in reads)
        {
            // The last source that completed strictly before the read was invoked.
            int lo = 0, hi = sorted.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (sorted[mid].Completed < read.Invoked)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            if (lo > 0 && best[lo - 1].Version > views[read.Id].Version)
            {
                yield return (read, best[lo - 1].Source, best[lo - 1].Version);
            }
        }
    }
}
