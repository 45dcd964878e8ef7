using Google.Protobuf;
using Grpc.Core;
using Mixnet.Directory.Client.Internal;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Client;

/// <summary>
/// The metrics loops, one per directory: one report per <c>next_report_in</c>, never sooner. The directory refuses
/// reports that come faster (RESOURCE_EXHAUSTED with a retry-after), so the agent keeps the pace
/// itself and waits out any retry-after it is given.
/// </summary>
public sealed partial class NodeAgent
{
    private static readonly TimeSpan MinReportInterval = TimeSpan.FromMilliseconds(100);

    // A retry-after longer than this is taken as a mistake, not obeyed for hours.
    private static readonly TimeSpan MaxReportRetryAfter = TimeSpan.FromMinutes(10);

    /// <summary>Test hook: raised with every wait of a metrics loop (and of the last report on stop), after its timer is set.</summary>
    internal event Action<TimeSpan>? MetricsDelayScheduled;

    /// <summary>Counts not handed to the directories yet, for tests and diagnostics.</summary>
    internal PacketCounters Counters => _counters;

    private async Task RunMetricsAsync(DirectoryLink link, CancellationToken cancellationToken)
    {
        while (link.MetricsEnabled)
        {
            try
            {
                await link.Registered.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                return; // This directory refused the node for good.
            }

            await DelayUntilNextReportAsync(link, cancellationToken).ConfigureAwait(false);
            await ReportMetricsOnceAsync(link, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DelayUntilNextReportAsync(DirectoryLink link, CancellationToken cancellationToken)
    {
        var wait = link.NextReportAt - _time.GetUtcNow();
        if (wait < TimeSpan.Zero)
        {
            wait = TimeSpan.Zero;
        }

        var delay = Task.Delay(wait, _time, cancellationToken);
        MetricsDelayScheduled?.Invoke(wait);
        await delay.ConfigureAwait(false);
    }

    /// <summary>
    /// With several directories: takes the counts since the last take once and adds them to every
    /// reporting directory's outbox, so each directory is told every packet exactly once, whichever
    /// report goes first. With one directory its outbox is the counters themselves.
    /// </summary>
    private void DistributeCounts()
    {
        if (_links.Length == 1)
        {
            return;
        }

        lock (_counters)
        {
            var taken = _counters.Take();
            if (taken.IsEmpty)
            {
                return;
            }

            foreach (var link in _links)
            {
                if (link.MetricsEnabled && link.Lease is not null)
                {
                    link.Outbox.Restore(taken);
                }
            }
        }
    }

    /// <summary>Reports once to every directory at once (a test hook); the wait before the first directory's next report.</summary>
    internal async Task<TimeSpan> ReportMetricsOnceAsync(CancellationToken cancellationToken)
    {
        var waits = await Task.WhenAll(_links.Select(link => ReportMetricsOnceAsync(link, cancellationToken))).ConfigureAwait(false);
        return waits[0];
    }

    /// <summary>
    /// Sends one directory the counts since its last successful report; a failed report keeps them for the next.
    /// Counts for more next hops than one request may name go in several requests (the directory
    /// adds them up in its window): a busy gateway reaches thousands of mixnodes between reports.
    /// A part the directory refuses as malformed is dropped, not kept to fail again forever.
    /// </summary>
    /// <returns>The wait before the next report to this directory is due.</returns>
    private async Task<TimeSpan> ReportMetricsOnceAsync(DirectoryLink link, CancellationToken cancellationToken)
    {
        var lease = link.Lease;
        if (lease is null || !link.MetricsEnabled)
        {
            return link.ReportInterval;
        }

        DistributeCounts();
        var sentAt = _time.GetUtcNow();
        var parts = MetricsSplit.Split(link.Outbox.Take());
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
                var response = await CallAsync(o => link.Metrics.ReportMetricsAsync(request, o), _options.CallTimeout, cancellationToken).ConfigureAwait(false);
                var asked = response.NextReportIn?.ToTimeSpan() ?? TimeSpan.Zero;
                if (asked > TimeSpan.Zero)
                {
                    link.ReportInterval = asked > MinReportInterval ? asked : MinReportInterval;
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
            {
                RestoreFrom(link, parts, i);
                link.MetricsEnabled = false;
                NodeAgentLog.MetricsUnimplemented(_logger, link.Name);
                return link.ReportInterval;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
            {
                NodeAgentLog.MetricsReportRefused(_logger, link.Name, ex.Status.Detail);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
            {
                // Too soon for the directory: keep the counts and come back no sooner than it asks.
                RestoreFrom(link, parts, i);
                next = RetryAfterHint.From(ex, MaxReportRetryAfter);
                NodeAgentLog.MetricsReportThrottled(_logger, link.Name, next);
                break;
            }
            catch (RpcException ex)
            {
                RestoreFrom(link, parts, i);
                NodeAgentLog.MetricsReportFailed(_logger, link.Name, ex.StatusCode);
                break;
            }
            catch (OperationCanceledException)
            {
                RestoreFrom(link, parts, i);
                throw;
            }
        }

        var interval = link.ReportInterval;
        next = next > interval ? next : interval;
        link.DeferNextReport(sentAt + next);
        return next;
    }

    /// <summary>
    /// The last report to one directory, on stop: the packets since the previous report would
    /// otherwise never reach it. It waits for its turn when that comes within the deregister
    /// timeout, since the directory would refuse it sooner.
    /// </summary>
    private async Task ReportFinalMetricsAsync(DirectoryLink link, CancellationToken cancellationToken)
    {
        if (!link.MetricsEnabled || !link.Outbox.HasCounts)
        {
            return;
        }

        var wait = link.NextReportAt - _time.GetUtcNow();
        if (wait > _options.DeregisterTimeout)
        {
            NodeAgentLog.FinalReportSkipped(_logger, link.Name, wait);
            return;
        }

        try
        {
            await DelayUntilNextReportAsync(link, cancellationToken).ConfigureAwait(false);
            using var deadline = new CancellationTokenSource(_options.DeregisterTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            await ReportMetricsOnceAsync(link, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Best effort: stopping is not held up by an unreachable directory.
        }
    }

    /// <summary>One report's counts as requests the directory accepts (see <see cref="MetricsSplit"/>).</summary>
    internal static List<PacketCounts> Split(PacketCounts counts) => MetricsSplit.Split(counts);

    private static void RestoreFrom(DirectoryLink link, List<PacketCounts> parts, int first)
    {
        for (var i = first; i < parts.Count; i++)
        {
            link.Outbox.Restore(parts[i]);
        }
    }
}
