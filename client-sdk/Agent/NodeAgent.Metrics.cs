using Google.Protobuf;
using Grpc.Core;
using Mixnet.Directory.Client.Internal;
using Mixnet.Directory.V1;

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

    /// <summary>Sends the counts since the last successful report; a failed report keeps them for the next.</summary>
    /// <returns>The interval the directory asked for, or null to keep the current one.</returns>
    internal async Task<TimeSpan?> ReportMetricsOnceAsync(CancellationToken cancellationToken)
    {
        var lease = _lease;
        if (lease is null || !_metricsEnabled)
        {
            return null;
        }

        var counts = _counters.Take();
        var request = new ReportMetricsRequest
        {
            IdentityKey = UnsafeByteOperations.UnsafeWrap(_identity.IdentityKey),
            LeaseToken = lease.Token,
            Received = (ulong)counts.Received,
        };
        foreach (var (hop, count) in counts.Sent)
        {
            request.Sent.Add(hop, (ulong)count);
        }

        try
        {
            var response = await CallAsync(o => _metrics.ReportMetricsAsync(request, o), _options.CallTimeout, cancellationToken);
            var next = response.NextReportIn?.ToTimeSpan() ?? TimeSpan.Zero;
            return next > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Max(next.Ticks, MinReportInterval.Ticks)) : null;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
        {
            _counters.Restore(counts);
            _metricsEnabled = false;
            NodeAgentLog.MetricsUnimplemented(_logger);
            return null;
        }
        catch (RpcException ex)
        {
            _counters.Restore(counts);
            NodeAgentLog.MetricsReportFailed(_logger, ex.StatusCode);
            return null;
        }
        catch (OperationCanceledException)
        {
            _counters.Restore(counts);
            throw;
        }
    }

    /// <summary>Counts not reported yet, for tests and diagnostics.</summary>
    internal PacketCounters Counters => _counters;
}
