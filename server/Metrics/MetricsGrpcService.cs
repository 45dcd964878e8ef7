using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
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
internal sealed class MetricsGrpcService(MetricsHub hub, QualityTracker quality, Leases leases, Membership membership, StreamGate streams, IHostApplicationLifetime lifetime)
{
    public Task<ReportMetricsResponse> ReportMetrics(ReportMetricsRequest request, ServerCallContext context)
    {
        RequestChecks.IdentityKey(request.IdentityKey);
        RequestChecks.LeaseToken(request.LeaseToken);
        if (request.Received > MetricsReportLimits.MaxCount)
        {
            throw GrpcErrors.InvalidArgument("received", $"received must be at most {MetricsReportLimits.MaxCount}");
        }

        var sent = HopCounts.Sum(request.Sent, "sent", "next");
        HopCounts.Sum(request.ReceivedFrom, "received_from", "previous");
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
        quality.Report(id, request.Received, request.Sent, request.ReceivedFrom);
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
            if (request.IdentityKeys.Count > 10_000)
            {
                throw GrpcErrors.InvalidArgument("identity_keys", "identity_keys may name at most 10000 nodes");
            }

            filter = [];
            foreach (var key in request.IdentityKeys)
            {
                RequestChecks.IdentityKey(key, "identity_keys");
                NodeId.TryRead(key.Span, out var id);
                filter.Add(id);
            }
        }

        if (!streams.TryEnter())
        {
            throw GrpcErrors.ResourceExhausted(string.Empty, "the directory has too many open streams (Directory:MaxStreams)", TimeSpan.FromSeconds(5));
        }

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
            streams.Exit();
        }
    }
}
