using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Admin;

/// <summary>AdminService: bans. Mapped only when admin tokens are configured.</summary>
internal sealed class AdminGrpcService(
    NodeRegistry registry,
    BanList bans,
    AdminAuthenticator authenticator,
    TimeProvider time,
    [FromKeyedServices(AdminGrpcService.LogBudgetKey)] LogBudget refusalLog,
    ILogger<AdminGrpcService> logger)
    : AdminService.AdminServiceBase
{
    /// <summary>The key of the refusal-log budget this service shares across calls.</summary>
    public const string LogBudgetKey = "admin-refusals";

    private const int MaxReasonLength = 256;

    public override Task<BanNodeResponse> BanNode(BanNodeRequest request, ServerCallContext context)
    {
        var who = Authenticate(context);
        var id = ReadId(request.IdentityKey);
        if (request.Reason.Length > MaxReasonLength || request.Reason.Any(char.IsControl))
        {
            throw GrpcErrors.InvalidArgument("reason", $"reason must be printable text of at most {MaxReasonLength} characters");
        }

        var (ban, removed) = registry.Ban(id, request.Reason, who);
        var action = removed ? "ban (node removed)" : "ban";
        var reason = LogText.Escape(request.Reason);
        AdminLog.Audit(logger, action, id, who, ban.BannedAt, reason);
        return Task.FromResult(new BanNodeResponse { Ban = ToMessage(ban) });
    }

    public override Task<UnbanNodeResponse> UnbanNode(UnbanNodeRequest request, ServerCallContext context)
    {
        var who = Authenticate(context);
        var id = ReadId(request.IdentityKey);
        var wasBanned = bans.Remove(id);
        var action = wasBanned ? "unban" : "unban (was not banned)";
        var at = time.GetUtcNow();
        AdminLog.Audit(logger, action, id, who, at, string.Empty);
        return Task.FromResult(new UnbanNodeResponse { WasBanned = wasBanned });
    }

    public override Task<ListBansResponse> ListBans(ListBansRequest request, ServerCallContext context)
    {
        Authenticate(context);
        var response = new ListBansResponse();
        response.Bans.AddRange(bans.List().Select(ToMessage));
        return Task.FromResult(response);
    }

    private string Authenticate(ServerCallContext context)
    {
        var header = context.RequestHeaders.GetValue("authorization");
        var name = authenticator.Authenticate(header);
        if (name is null)
        {
            if (logger.IsEnabled(LogLevel.Warning) && refusalLog.TryTake(out var suppressed))
            {
                if (suppressed > 0)
                {
                    AdminLog.RefusalsSuppressed(logger, suppressed);
                }

                var peer = LogText.Escape(context.Peer);
                AdminLog.Refused(logger, context.Method, peer, header is null ? "no bearer token" : "unknown token");
            }

            throw GrpcErrors.Unauthenticated("authorization", "authorization must be 'Bearer <admin token>' with a configured admin token");
        }

        return name;
    }

    private static NodeId ReadId(Google.Protobuf.ByteString key)
    {
        RequestChecks.IdentityKey(key);
        NodeId.TryRead(key.Span, out var id);
        return id;
    }

    private static Ban ToMessage(BanRecord ban)
    {
        return new Ban
        {
            IdentityKey = ban.Id.ToByteString(),
            Reason = ban.Reason,
            BannedAt = Timestamp.FromDateTimeOffset(ban.BannedAt),
            BannedBy = ban.BannedBy,
        };
    }
}
