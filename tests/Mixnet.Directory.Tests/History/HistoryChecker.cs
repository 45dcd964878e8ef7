namespace Mixnet.Directory.Tests.History;

/// <summary>
/// Checks a recorded history against the directory's promises (DESIGN.md §2, issue 10): signed
/// and parseable publications, versions that never go back, contiguous watch deltas that
/// reproduce the snapshots, read-your-writes for acknowledged writes and heartbeats, and node sets
/// that only acknowledged (or in-flight) writes and expiry can explain. Pure: no I/O, no clock.
/// </summary>
public static class HistoryChecker
{
    public static IReadOnlyList<Violation> Check(RecordedHistory history)
    {
        var violations = new List<Violation>();
        var views = new TopologyDecoder(history, violations).Decode();
        OrderChecks.Run(history, views, violations);
        new VisibilityCheck(history, views, violations).Run();
        return violations;
    }
}
