using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Limits;
using Mixnet.Directory.Server.Presence;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Server.Topology;
using Mixnet.Directory.V1;
using Mixnet.Directory.Validation;

namespace Mixnet.Directory.Server.Metrics;

/// <summary>
/// MetricsService. Bound by <see cref="MetricsServiceMethodProvider"/> rather than the generated
/// base class, because StreamMetrics writes pre-serialized frames (<see cref="EncodedFrame"/>).
/// </summary>
internal sealed class MetricsGrpcService(MetricsHub hub, Leases leases, Membership membership, StreamGate streams, IHostApplicationLifetime lifetime)
{
    public Task<ReportMetricsResponse> ReportMetrics(ReportMetricsRequest request, ServerCallContext context)
    {
        RequestChecks.IdentityKey(request.IdentityKey);
        RequestChecks.LeaseToken(request.LeaseToken);
        if (request.Received > MetricsReportLimits.MaxCount)
        {
            throw GrpcErrors.InvalidArgument("received", $"received must be at most {MetricsReportLimits.MaxCount}");
        }

        if (request.Sent.Count > MetricsReportLimits.MaxNextHops)
        {
            throw GrpcErrors.InvalidArgument("sent", $"sent may name at most {MetricsReportLimits.MaxNextHops} next hops, got {request.Sent.Count}");
        }

        ulong sent = 0;
        foreach (var (hop, count) in request.Sent)
        {
            if (hop.Length is 0 or > MetricsReportLimits.MaxNextHopLength)
            {
                throw GrpcErrors.InvalidArgument("sent", $"sent keys must be host:port of 1..{MetricsReportLimits.MaxNextHopLength} characters");
            }

            if (count > MetricsReportLimits.MaxCount)
            {
                throw GrpcErrors.InvalidArgument("sent", $"sent[{hop}] must be at most {MetricsReportLimits.MaxCount}");
            }

            sent += count;
        }

        if (sent > MetricsReportLimits.MaxCount)
        {
            throw GrpcErrors.InvalidArgument("sent", $"the sum of sent must be at most {MetricsReportLimits.MaxCount}");
        }

        switch (leases.Check(request.IdentityKey.Span, request.LeaseToken.Span))
        {
            case HeartbeatOutcome.Banned:
                throw GrpcErrors.PermissionDenied("identity_key", "identity_key is banned from this directory");
            case HeartbeatOutcome.WrongToken:
                throw GrpcErrors.Unauthenticated("lease_token", "lease_token does not match the node's current lease");
            case HeartbeatOutcome.NotFound:
                throw GrpcErrors.NotFound("identity_key", "identity_key is not registered or its lease expired; register again");
        }

        NodeId.TryRead(request.IdentityKey.Span, out var id);
        hub.Report(id, sent, request.Received);
        return Task.FromResult(new ReportMetricsResponse
        {
            NextReportIn = Duration.FromTimeSpan(hub.NextReportIn(membership.Count)),
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
                var body = filter is null ? frame.UnfilteredBytes : frame.Encode(filter);
                await responseStream.WriteAsync(new EncodedFrame(body, subscription.DroppedFrames), linked.Token);
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
