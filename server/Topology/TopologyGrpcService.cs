using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mixnet.Directory.Server.Authorities;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Keys;
using Mixnet.Directory.Server.Limits;
using Mixnet.Directory.Server.Presence;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Topology;

/// <summary>TopologyService: serves the publisher's shared snapshot bytes and its watch stream.</summary>
internal sealed class TopologyGrpcService(
    TopologyPublisher publisher,
    Leases leases,
    DirectorySigningKey key,
    ClientRateLimiter limiter,
    StreamGate streams,
    IHostApplicationLifetime lifetime,
    ConsensusAuthority? authority = null) : TopologyService.TopologyServiceBase
{
    private static readonly string ServerVersion =
        typeof(TopologyGrpcService).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public override Task<GetDirectoryInfoResponse> GetDirectoryInfo(GetDirectoryInfoRequest request, ServerCallContext context)
    {
        var response = new GetDirectoryInfoResponse
        {
            DirectoryKey = UnsafeByteOperations.UnsafeWrap(key.PublicKey),
            Ttl = Duration.FromTimeSpan(leases.Ttl),
            HeartbeatInterval = Duration.FromTimeSpan(leases.HeartbeatInterval),
            ServerVersion = ServerVersion,
        };
        foreach (var peer in authority?.Set.All ?? [])
        {
            response.Authorities.Add(new AuthorityInfo { Name = peer.Name, Key = UnsafeByteOperations.UnsafeWrap(peer.Key) });
        }

        return Task.FromResult(response);
    }

    public override Task<GetTopologyResponse> GetTopology(GetTopologyRequest request, ServerCallContext context)
    {
        ThrowIfLimited(context);
        var current = publisher.Latest();
        if (request.KnownVersion != 0 && request.KnownVersion == current.Version)
        {
            return Task.FromResult(new GetTopologyResponse());
        }

        return Task.FromResult(new GetTopologyResponse { Topology = TopologyPublisher.GetSnapshot(current) });
    }

    public override async Task WatchTopology(WatchTopologyRequest request, IServerStreamWriter<WatchTopologyResponse> responseStream, ServerCallContext context)
    {
        ThrowIfLimited(context);
        using var place = streams.Enter(context.GetHttpContext().Connection.RemoteIpAddress);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            await foreach (var update in publisher.WatchAsync(request.KnownVersion, linked.Token))
            {
                await responseStream.WriteAsync(update, linked.Token);
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw GrpcErrors.Unavailable("the directory is shutting down; reconnect to another instance or retry");
        }
    }

    public override Task<GetConsensusResponse> GetConsensus(GetConsensusRequest request, ServerCallContext context)
    {
        ThrowIfLimited(context);
        var current = authority?.Current
            ?? throw new RpcException(new Status(StatusCode.FailedPrecondition,
                authority is null ? "this directory is not a directory authority (Directory:Authorities is not configured)" : "no consensus signed by enough authorities is held yet; retry or ask another authority"));
        return Task.FromResult(request.KnownEpoch != 0 && request.KnownEpoch == authority.CurrentEpoch
            ? new GetConsensusResponse()
            : new GetConsensusResponse { Consensus = current });
    }

    public override async Task WatchConsensus(WatchConsensusRequest request, IServerStreamWriter<WatchConsensusResponse> responseStream, ServerCallContext context)
    {
        ThrowIfLimited(context);
        if (authority is null)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "this directory is not a directory authority (Directory:Authorities is not configured)"));
        }

        using var place = streams.Enter(context.GetHttpContext().Connection.RemoteIpAddress);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            await foreach (var consensus in ConsensusWatch.WatchAsync(authority, request.KnownEpoch, linked.Token))
            {
                await responseStream.WriteAsync(new WatchConsensusResponse { Consensus = consensus }, linked.Token);
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw GrpcErrors.Unavailable("the directory is shutting down; reconnect to another authority or retry");
        }
    }

    private void ThrowIfLimited(ServerCallContext context)
    {
        if (!limiter.TryTopology(context.GetHttpContext().Connection.RemoteIpAddress, out var retryAfter))
        {
            throw GrpcErrors.ResourceExhausted(string.Empty, "too many topology requests from this address; use known_version or WatchTopology", retryAfter);
        }
    }
}
