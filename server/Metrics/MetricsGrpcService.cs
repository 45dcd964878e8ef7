using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Hosting;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Limits;
using Mixnet.Directory.Server.Presence;
using Mixnet.Directory.Server.Quality;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Server.Topology;
using Mixnet.Directory.V1;
using Mixnet.Directory.Validation;

namespace Mixnet.Directory.Server.Metrics;

/// <summary>
/// MetricsService. Bound by <see cref="MetricsServiceMethodProvider"/> rather than the generated
/// base class, because StreamMetrics writes pre-serialized frames (<see cref="EncodedFrame"/>).
/// </summary>
internal sealed class MetricsGrpcService(MetricsHub hub, QualityTracker quality, Leases leases, Membership membership, StreamGate streams, IHostApplicationLifetime lifetime, IOptions<DirectoryOptions> options, TimeProvider time)
{
    private readonly int _reportBurst = options.Value.RateLimits.Enabled ? options.Value.RateLimits.MetricsReportBurst : 0;
    private readonly long _maxPacketsPerSecond = options.Value.MaxPacketsPerSecondPerNode;

    public Task<ReportMetricsResponse> ReportMetrics(ReportMetricsRequest request, ServerCallContext context)
    {
        if (MetricsReportRules.Validate(request, out var sent) is { } error)
        {
            throw GrpcErrors.InvalidArgument(error.Field, error.ToString());
        }

        switch (leases.Check(request.IdentityKey.Span, request.LeaseToken.Span, out var record))
        {
            case HeartbeatOutcome.Banned:
                throw GrpcErrors.PermissionDenied("identity_key", "identity_key is banned from this directory");
            case HeartbeatOutcome.WrongToken:
                throw GrpcErrors.Unauthenticated("lease_token", "lease_token does not match the node's current lease");
            case HeartbeatOutcome.NotFound:
                throw GrpcErrors.NotFound("identity_key", "identity_key is not registered or its lease expired; register again");
        }

        // Per identity, on its record (one CAS each, no lock, no allocation): about one report per
        // next_report_in, with a burst for the parts of one large report. A refused report still
        // counts toward this rate, as a refused registration does toward the per-IP one.
        var nextReportIn = hub.NextReportIn(membership.Count);
        var nowTicks = time.GetUtcNow().UtcTicks;
        if (_reportBurst > 0 && !record!.TryTakeReportSlot(nowTicks, nextReportIn.Ticks, _reportBurst, out var waitTicks))
        {
            throw GrpcErrors.ResourceExhausted("identity_key", "identity_key reports metrics more often than next_report_in allows; retry later", TimeSpan.FromTicks(waitTicks));
        }

        // No node may claim more packets than Directory:MaxPacketsPerSecondPerNode over the time its
        // report covers (since its registration, at most one next_report_in back): refused whole,
        // not clamped, so the node's log says why its counts were not taken.
        if (_maxPacketsPerSecond > 0 && !record!.TryClaimPackets(nowTicks, Math.Max(sent, request.Received), _maxPacketsPerSecond, nextReportIn.Ticks))
        {
            var field = sent >= request.Received ? "sent" : "received";
            throw GrpcErrors.InvalidArgument(field,
                $"{field} claims more packets than {_maxPacketsPerSecond} a second over the time this report covers (Directory:MaxPacketsPerSecondPerNode)");
        }

        NodeId.TryRead(request.IdentityKey.Span, out var id);
        hub.Report(id, sent, request.Received);
        quality.Report(id, request.Received, request.Sent, request.ReceivedFrom);
        return Task.FromResult(new ReportMetricsResponse
        {
            NextReportIn = Duration.FromTimeSpan(nextReportIn),
        });
    }

    public async Task StreamMetrics(StreamMetricsRequest request, IServerStreamWriter<EncodedFrame> responseStream, ServerCallContext context)
    {
        HashSet<NodeId>? filter = null;
        if (request.IdentityKeys.Count > 0)
        {
            if (request.IdentityKeys.Count > StreamLimits.MaxFilterKeys)
            {
                throw GrpcErrors.InvalidArgument("identity_keys",
                    $"identity_keys may name at most {StreamLimits.MaxFilterKeys} nodes, got {request.IdentityKeys.Count}; leave it empty for every node");
            }

            filter = [];
            foreach (var key in request.IdentityKeys)
            {
                RequestChecks.IdentityKey(key, "identity_keys");
                NodeId.TryRead(key.Span, out var id);
                filter.Add(id);
            }
        }

        using var place = streams.Enter(context.GetHttpContext().Connection.RemoteIpAddress);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var subscription = hub.Subscribe(filter, (int)Math.Min(request.ReplayFrames, MetricsHub.MaxReplayFrames));
        try
        {
            await foreach (var frame in subscription.Reader.ReadAllAsync(linked.Token))
            {
                try
                {
                    var body = filter is null ? frame.Unfiltered : frame.Encode(filter);
                    await responseStream.WriteAsync(new EncodedFrame(body, subscription.DroppedFrames), linked.Token);
                }
                finally
                {
                    // The bytes were copied into the response by the time the write completed.
                    frame.Release();
                }
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw GrpcErrors.Unavailable("the directory is shutting down; reconnect to another instance or retry");
        }
        catch (ChannelClosedException)
        {
            // Unsubscribed elsewhere; the stream simply ends.
        }
        finally
        {
            hub.Unsubscribe(subscription);
        }
    }
}
