using Google.Protobuf;
using Grpc.Core;
using Mixnet.Directory.Client.Internal;
using Mixnet.Directory.V1;
using Mixnet.Directory.Validation;

namespace Mixnet.Directory.Client;

/// <summary>
/// The metrics loop: one report per <c>next_report_in</c>, never sooner. The directory refuses
/// reports that come faster (RESOURCE_EXHAUSTED with a retry-after), so the agent keeps the pace
/// itself and waits out any retry-after it is given.
/// </summary>
public sealed partial class NodeAgent
{
    private static readonly TimeSpan MinReportInterval = TimeSpan.FromMilliseconds(100);

    // A retry-after longer than this is taken as a mistake, not obeyed for hours.
    private static readonly TimeSpan MaxReportRetryAfter = TimeSpan.FromMinutes(10);

    private long _reportIntervalTicks;
    private long _nextReportAtTicks = DateTimeOffset.MinValue.UtcTicks;

    /// <summary>Test hook: raised with every wait of the metrics loop (and of the last report on stop), after its timer is set.</summary>
    internal event Action<TimeSpan>? MetricsDelayScheduled;

    /// <summary>Counts not reported yet, for tests and diagnostics.</summary>
    internal PacketCounters Counters => _counters;

    /// <summary>The interval between reports: the latest <c>next_report_in</c>, or <see cref="NodeAgentOptions.FirstMetricsReportDelay"/> before the first answer.</summary>
    private TimeSpan ReportInterval => TimeSpan.FromTicks(Volatile.Read(ref _reportIntervalTicks));

    /// <summary>The earliest time the directory takes the next report.</summary>
    private DateTimeOffset NextReportAt => new(Volatile.Read(ref _nextReportAtTicks), TimeSpan.Zero);

    private async Task RunMetricsAsync(CancellationToken cancellationToken)
    {
        while (_metricsEnabled)
        {
            try
            {
                await WaitUntilRegisteredAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                return; // The agent failed for good.
            }

            await DelayUntilNextReportAsync(cancellationToken).ConfigureAwait(false);
            await ReportMetricsOnceAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DelayUntilNextReportAsync(CancellationToken cancellationToken)
    {
        var wait = NextReportAt - _time.GetUtcNow();
        if (wait < TimeSpan.Zero)
        {
            wait = TimeSpan.Zero;
        }

        var delay = Task.Delay(wait, _time, cancellationToken);
        MetricsDelayScheduled?.Invoke(wait);
        await delay.ConfigureAwait(false);
    }

    /// <summary>
    /// Sends the counts since the last successful report; a failed report keeps them for the next.
    /// Counts for more next hops than one request may name go in several requests (the directory
    /// adds them up in its window): a busy gateway reaches thousands of mixnodes between reports.
    /// A part the directory refuses as malformed is dropped, not kept to fail again forever.
    /// </summary>
    /// <returns>The wait before the next report is due.</returns>
    internal async Task<TimeSpan> ReportMetricsOnceAsync(CancellationToken cancellationToken)
    {
        var lease = _lease;
        if (lease is null || !_metricsEnabled)
        {
            return ReportInterval;
        }

        var sentAt = _time.GetUtcNow();
        var parts = Split(_counters.Take());
        var next = TimeSpan.Zero;
        for (var i = 0; i < parts.Count; i++)
        {
            var request = new ReportMetricsRequest
            {
                IdentityKey = UnsafeByteOperations.UnsafeWrap(_identity.IdentityKey),
                LeaseToken = lease.Token,
                Received = (ulong)parts[i].Received,
            };
            foreach (var (hop, count) in parts[i].Sent)
            {
                request.Sent.Add(hop, (ulong)count);
            }

            foreach (var (hop, count) in parts[i].ReceivedFrom)
            {
                request.ReceivedFrom.Add(hop, (ulong)count);
            }

            try
            {
                var response = await CallAsync(o => _metrics.ReportMetricsAsync(request, o), _options.CallTimeout, cancellationToken).ConfigureAwait(false);
                var asked = response.NextReportIn?.ToTimeSpan() ?? TimeSpan.Zero;
                if (asked > TimeSpan.Zero)
                {
                    Volatile.Write(ref _reportIntervalTicks, Math.Max(asked.Ticks, MinReportInterval.Ticks));
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
            {
                RestoreFrom(parts, i);
                _metricsEnabled = false;
                NodeAgentLog.MetricsUnimplemented(_logger);
                return ReportInterval;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
            {
                NodeAgentLog.MetricsReportRefused(_logger, ex.Status.Detail);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
            {
                // Too soon for the directory: keep the counts and come back no sooner than it asks.
                RestoreFrom(parts, i);
                next = RetryAfterHint.From(ex, MaxReportRetryAfter);
                NodeAgentLog.MetricsReportThrottled(_logger, next);
                break;
            }
            catch (RpcException ex)
            {
                RestoreFrom(parts, i);
                NodeAgentLog.MetricsReportFailed(_logger, ex.StatusCode);
                break;
            }
            catch (OperationCanceledException)
            {
                RestoreFrom(parts, i);
                throw;
            }
        }

        var interval = ReportInterval;
        next = next > interval ? next : interval;
        DeferNextReport(sentAt + next);
        return next;
    }

    /// <summary>Moves the next report to <paramref name="at"/> unless it is already later. Called by both loops.</summary>
    private void DeferNextReport(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        var current = Volatile.Read(ref _nextReportAtTicks);
        while (ticks > current)
        {
            var seen = Interlocked.CompareExchange(ref _nextReportAtTicks, ticks, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>
    /// The last report, on stop: the packets since the previous report would otherwise never reach
    /// the directory. It waits for its turn when that comes within the deregister timeout, since
    /// the directory would refuse it sooner.
    /// </summary>
    private async Task ReportFinalMetricsAsync(CancellationToken cancellationToken)
    {
        if (!_metricsEnabled || !_counters.HasCounts)
        {
            return;
        }

        var wait = NextReportAt - _time.GetUtcNow();
        if (wait > _options.DeregisterTimeout)
        {
            NodeAgentLog.FinalReportSkipped(_logger, wait);
            return;
        }

        try
        {
            await DelayUntilNextReportAsync(cancellationToken).ConfigureAwait(false);
            using var deadline = new CancellationTokenSource(_options.DeregisterTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            await ReportMetricsOnceAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Best effort: stopping is not held up by an unreachable directory.
        }
    }

    /// <summary>
    /// One report's counts as requests of at most <see cref="MetricsReportLimits.MaxNextHops"/> next
    /// hops and as many previous hops each; the total received goes with the first.
    /// </summary>
    internal static List<PacketCounts> Split(PacketCounts counts)
    {
        if (counts.Sent.Count <= MetricsReportLimits.MaxNextHops && counts.ReceivedFrom.Count <= MetricsReportLimits.MaxNextHops)
        {
            return [counts];
        }

        var sent = Chunks(counts.Sent);
        var receivedFrom = Chunks(counts.ReceivedFrom);
        var parts = new List<PacketCounts>();
        for (var i = 0; i < Math.Max(sent.Count, receivedFrom.Count); i++)
        {
            parts.Add(new PacketCounts(
                i < sent.Count ? sent[i] : new Dictionary<string, long>(StringComparer.Ordinal),
                i == 0 ? counts.Received : 0,
                i < receivedFrom.Count ? receivedFrom[i] : new Dictionary<string, long>(StringComparer.Ordinal)));
        }

        return parts;
    }

    private static List<Dictionary<string, long>> Chunks(IReadOnlyDictionary<string, long> counts)
    {
        var chunks = new List<Dictionary<string, long>>();
        var part = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (hop, count) in counts)
        {
            part[hop] = count;
            if (part.Count == MetricsReportLimits.MaxNextHops)
            {
                chunks.Add(part);
                part = new Dictionary<string, long>(StringComparer.Ordinal);
            }
        }

        if (part.Count > 0)
        {
            chunks.Add(part);
        }

        return chunks;
    }

    private void RestoreFrom(List<PacketCounts> parts, int first)
    {
        for (var i = first; i < parts.Count; i++)
        {
            _counters.Restore(parts[i]);
        }
    }
}
