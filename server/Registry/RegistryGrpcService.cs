using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Limits;
using Mixnet.Directory.Server.Presence;
using Mixnet.Directory.Server.Quality;
using Mixnet.Directory.Server.Telemetry;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Registry;

/// <summary>RegistryService: validate, call <see cref="NodeRegistry"/>, map back.</summary>
internal sealed class RegistryGrpcService(NodeRegistry registry, Leases leases, DirectoryInstruments instruments, ClientRateLimiter limiter, HostOwnership ownership, QualityTracker quality, ILogger<RegistryGrpcService> logger) : RegistryService.RegistryServiceBase
{
    public override async Task<RegisterNodeResponse> RegisterNode(RegisterNodeRequest request, ServerCallContext context)
    {
        // Behind a trusted proxy, the forwarded-headers middleware has already put the real caller here.
        var caller = context.GetHttpContext().Connection.RemoteIpAddress;
        if (!limiter.TryRegister(caller, out var retryAfter))
        {
            throw GrpcErrors.ResourceExhausted(string.Empty, "too many registrations from this address; retry later", retryAfter);
        }

        RegistrationResult result;
        try
        {
            var descriptor = registry.Verify(request.Descriptor_, request.Signature);

            // Resolved before the registry's lock is taken: a slow DNS answer holds up only this call.
            if (await ownership.RefusalAsync(descriptor.Host, caller, context.CancellationToken) is { } refusal)
            {
                RegistryLog.HostRefused(logger, refusal);
                throw new DirectoryException(DirectoryErrorKind.PermissionDenied, "descriptor.host", refusal);
            }

            result = registry.Register(descriptor, CallerPrefix.Of(caller), request.Descriptor_, request.Signature);
        }
        catch (DirectoryException ex)
        {
            throw GrpcErrors.From(ex);
        }

        if (result.DatedAhead)
        {
            await registry.SaveMarksNowAsync();
        }

        instruments.Registration();
        return new RegisterNodeResponse
        {
            LeaseToken = UnsafeByteOperations.UnsafeWrap(result.LeaseToken),
            Ttl = Duration.FromTimeSpan(leases.Ttl),
            HeartbeatInterval = Duration.FromTimeSpan(leases.HeartbeatInterval),
            TopologyVersion = result.TopologyVersion,
        };
    }

    public override Task<DeregisterNodeResponse> DeregisterNode(DeregisterNodeRequest request, ServerCallContext context)
    {
        RequestChecks.IdentityKey(request.IdentityKey);
        RequestChecks.LeaseToken(request.LeaseToken);
        try
        {
            registry.Deregister(request.IdentityKey.Span, request.LeaseToken.Span);
        }
        catch (DirectoryException ex)
        {
            throw GrpcErrors.From(ex);
        }

        return Task.FromResult(new DeregisterNodeResponse());
    }

    public override Task<GetNodeResponse> GetNode(GetNodeRequest request, ServerCallContext context)
    {
        RequestChecks.IdentityKey(request.IdentityKey);
        var record = leases.Find(request.IdentityKey.Span)
            ?? throw GrpcErrors.NotFound("identity_key", $"node {KeyFingerprint.Abbreviate(request.IdentityKey.Span)} is not registered (or its lease expired)");
        var response = new GetNodeResponse
        {
            Descriptor_ = record.Descriptor,
            RegisteredAt = Timestamp.FromDateTimeOffset(record.RegisteredAt),
            LastSeen = Timestamp.FromDateTimeOffset(record.LastSeen),
            Quality = quality.Find(record.Id)?.ToMessage(),
        };
        response.ReliabilityHistory.AddRange(quality.History.Find(record.Id));
        return Task.FromResult(response);
    }
}
