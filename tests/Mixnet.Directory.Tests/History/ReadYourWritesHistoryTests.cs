using System.Globalization;
using Mixnet.Directory.Tests.History.Workload;
using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.History;

/// <summary>
/// Jepsen-style: many clients write and read one real directory at once, every request is recorded
/// with its client-side start and end, and <see cref="HistoryChecker"/> then checks the whole
/// history against the directory's promises (read-your-writes after every acknowledged write,
/// ban and heartbeat; expiry within TTL + sweep; signed, contiguous, consistent publications).
/// </summary>
[NonParallelizable] // Its TTLs are short; a second Kestrel fighting for the 2 cores only adds noise.
public sealed class ReadYourWritesHistoryTests
{
    private const string AdminToken = "history-admin-token-0123456789";
    private const int DefaultSeed = 20_261_202;

    private static readonly HistoryRules Rules = new(
        Ttl: TimeSpan.FromMilliseconds(800),
        SweepInterval: TimeSpan.FromMilliseconds(100),
        ExpiryGrace: TimeSpan.FromSeconds(1),
        ClockSlack: TimeSpan.FromMilliseconds(20));

    [Test]
    [CancelAfter(60_000)]
    public async Task ConcurrentClients_HistoryKeepsEveryPromise()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MIXDIR_HISTORY_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        TestContext.Out.WriteLine($"seed {seed} (MIXDIR_HISTORY_SEED repeats it; thread timing still varies)");
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Directory:PresenceTtl"] = Rules.Ttl.ToString(),
            ["Directory:HeartbeatInterval"] = "00:00:00.200",
            ["Directory:ExpirySweepInterval"] = Rules.SweepInterval.ToString(),

            // The production default, not the host's shortened one: the promise must hold whatever the batch window.
            ["Directory:TopologyBatchWindow"] = "00:00:00.100",
            ["Directory:RateLimits:Enabled"] = "false",
            ["Directory:AdminTokens:history"] = AdminToken,
        });

        var history = await HistoryRun.RunAsync(server, AdminToken, new WorkloadShape(), Rules, seed).Within(TimeSpan.FromSeconds(45));
        var violations = HistoryChecker.Check(history);

        TestContext.Out.WriteLine(Summary(history));
        Assert.Multiple(() =>
        {
            // The run must have exercised what the checker checks, or an empty history would pass.
            Assert.That(Count(history, WriteKind.Register), Is.GreaterThanOrEqualTo(20), "acknowledged registrations");
            Assert.That(Count(history, WriteKind.Heartbeat), Is.GreaterThanOrEqualTo(20), "acknowledged heartbeats");
            Assert.That(Count(history, WriteKind.Deregister), Is.GreaterThanOrEqualTo(1), "acknowledged deregistrations");
            Assert.That(Count(history, WriteKind.Ban), Is.GreaterThanOrEqualTo(1), "acknowledged bans");
            Assert.That(history.Observations.Count(o => o.Delta is not null), Is.GreaterThanOrEqualTo(5), "watch deltas");
            Assert.That(history.Observations.Count(o => o.IsRead), Is.GreaterThanOrEqualTo(100), "reads");
            Assert.That(violations, Is.Empty,
                $"seed {seed}: {violations.Count} violations ({string.Join(", ", violations.GroupBy(v => v.Invariant).Select(g => $"{g.Key} x{g.Count()}"))}); the first of each:\n"
                + string.Join("\n", violations.GroupBy(v => v.Invariant).SelectMany(g => g.Take(3))));
        });
        server.AssertNoUnexpectedErrors();
        server.DeleteData();
    }

    private static int Count(RecordedHistory history, WriteKind kind) => history.Writes.Count(w => w.Kind == kind && w.Outcome == WriteOutcome.Ok);

    private static string Summary(RecordedHistory history) =>
        $"{history.Writes.Count} writes ({string.Join(", ", history.Writes.GroupBy(w => (w.Kind, w.Outcome)).OrderBy(g => g.Key).Select(g => $"{g.Key.Kind} {g.Key.Outcome}: {g.Count()}"))}), "
        + $"{history.Observations.Count} observations ({history.Observations.Count(o => o.Kind == ObservationKind.Fetch)} fetches, "
        + $"{history.Observations.Count(o => o.IsNotModified)} not modified, {history.Observations.Count(o => o.OpensStream)} watch streams, "
        + $"{history.Observations.Count(o => o.Delta is not null)} deltas) over {HistoryFormat.Time(history.Writes.Max(w => w.Completed))}";
}
