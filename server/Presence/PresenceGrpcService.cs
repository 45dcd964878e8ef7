using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Telemetry;
using Mixnet.Directory.Server.Topology;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Presence;

/// <summary>PresenceService: the hot path. One lock-free lookup, one constant-time compare, one CAS.</summary>
internal sealed class PresenceGrpcService : PresenceService.PresenceServiceBase
{
    private readonly Leases _leases;
    private readonly Membership _membership;
    private readonly DirectoryInstruments _instruments;
    private readonly Duration _ttl;

    public PresenceGrpcService(Leases leases, Membership membership, DirectoryInstruments instruments)
    {
        _leases = leases;
        _membership = membership;
        _instruments = instruments;
        _ttl = Duration.FromTimeSpan(leases.Ttl);
    }

    public override Task<HeartbeatResponse> Heartbeat(HeartbeatRequest request, ServerCallContext context)
    {
        RequestChecks.IdentityKey(request.IdentityKey);
        RequestChecks.LeaseToken(request.LeaseToken);
        switch (_leases.Heartbeat(request.IdentityKey.Span, request.LeaseToken.Span, out var retryAfter))
        {
            case HeartbeatOutcome.RateLimited:
                throw GrpcErrors.ResourceExhausted("identity_key", "identity_key is heartbeating faster than Directory:RateLimits:HeartbeatsPerInterval allows", retryAfter);
            case HeartbeatOutcome.Renewed:
                _instruments.Heartbeat();
                return Task.FromResult(new HeartbeatResponse { Ttl = _ttl, TopologyVersion = _membership.Version });
            case HeartbeatOutcome.Banned:
                throw GrpcErrors.PermissionDenied("identity_key", "identity_key is banned from this directory");
            case HeartbeatOutcome.WrongToken:
                throw GrpcErrors.Unauthenticated("lease_token", "lease_token does not match the node's current lease");
            default:
                throw GrpcErrors.NotFound("identity_key", "identity_key is not registered or its lease expired; register again");
        }
    }
}
