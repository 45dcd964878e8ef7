using Google.Protobuf;
using Grpc.Core;
using Mixnet.Directory.Client.Internal;
using Mixnet.Directory.V1;
using Mixnet.Directory.Validation;

namespace Mixnet.Directory.Client;

/// <summary>The metrics loop: report packet counts every <c>next_report_in</c>.</summary>
public sealed partial class NodeAgent
{
    private static readonly TimeSpan MinReportInterval = TimeSpan.FromMilliseconds(100);

    private async Task RunMetricsAsync(CancellationToken cancellationToken)
    {
        TimeSpan? interval = null;
        while (_metricsEnabled)
        {
            try
            {
                await WaitUntilRegisteredAsync(cancellationToken);
            }
            catch (InvalidOperationException)
            {
                return; // The agent failed for good.
            }

            interval ??= _lease?.Info.HeartbeatInterval ?? TimeSpan.FromSeconds(5);
            await Task.Delay(interval.Value, _time, cancellationToken);
            interval = await ReportMetricsOnceAsync(cancellationToken) ?? interval;
        }
    }

    /// <summary>
    /// Sends the counts since the last successful report; a failed report keeps them for the next.
    /// Counts for more next hops than one request may name go in several requests (the directory
    /// adds them up in its window): a busy gateway reaches thousands of mixnodes between reports.
    /// A part the directory refuses as malformed is dropped, not kept to fail again forever.
    /// </summary>
    /// <returns>The interval the directory asked for, or null to keep the current one.</returns>
    internal async Task<TimeSpan?> ReportMetricsOnceAsync(CancellationToken cancellationToken)
    {
        var lease = _lease;
        if (lease is null || !_metricsEnabled)
        {
            return null;
        }

        var parts = Split(_counters.Take());
        TimeSpan? interval = null;
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

            try
            {
                var response = await CallAsync(o => _metrics.ReportMetricsAsync(request, o), _options.CallTimeout, cancellationToken);
                var next = response.NextReportIn?.ToTimeSpan() ?? TimeSpan.Zero;
                interval = next > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Max(next.Ticks, MinReportInterval.Ticks)) : interval;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
            {
                RestoreFrom(parts, i);
                _metricsEnabled = false;
                NodeAgentLog.MetricsUnimplemented(_logger);
                return null;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
            {
                NodeAgentLog.MetricsReportRefused(_logger, ex.Status.Detail);
            }
            catch (RpcException ex)
            {
                RestoreFrom(parts, i);
                NodeAgentLog.MetricsReportFailed(_logger, ex.StatusCode);
                return interval;
            }
            catch (OperationCanceledException)
            {
                RestoreFrom(parts, i);
                throw;
            }
        }

        return interval;
    }

    /// <summary>The last report, on stop: the packets since the previous report would otherwise never reach the directory.</summary>
    private async Task ReportFinalMetricsAsync(CancellationToken cancellationToken)
    {
        if (!_metricsEnabled || !_counters.HasCounts)
        {
            return;
        }

        using var deadline = new CancellationTokenSource(_options.DeregisterTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await ReportMetricsOnceAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            // Best effort: stopping is not held up by an unreachable directory.
        }
    }

    /// <summary>One report's counts as requests of at most <see cref="MetricsReportLimits.MaxNextHops"/> next hops each; received goes with the first.</summary>
    internal static List<PacketCounts> Split(PacketCounts counts)
    {
        if (counts.Sent.Count <= MetricsReportLimits.MaxNextHops)
        {
            return [counts];
        }

        var parts = new List<PacketCounts>();
        var part = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (hop, count) in counts.Sent)
        {
            part[hop] = count;
            if (part.Count == MetricsReportLimits.MaxNextHops)
            {
                parts.Add(new PacketCounts(part, parts.Count == 0 ? counts.Received : 0));
                part = new Dictionary<string, long>(StringComparer.Ordinal);
            }
        }

        if (part.Count > 0)
        {
            parts.Add(new PacketCounts(part, parts.Count == 0 ? counts.Received : 0));
        }

        return parts;
    }

    private void RestoreFrom(List<PacketCounts> parts, int first)
    {
        for (var i = first; i < parts.Count; i++)
        {
            _counters.Restore(parts[i]);
        }
    }

    /// <summary>Counts not reported yet, for tests and diagnostics.</summary>
    internal PacketCounters Counters => _counters;
}
