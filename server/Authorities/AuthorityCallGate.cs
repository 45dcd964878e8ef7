using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Limits;

namespace Mixnet.Directory.Server.Authorities;

/// <summary>
/// Runs before grpc-dotnet reads an AuthorityService request, because anyone who reaches the
/// gRPC port reaches this service and its signatures can only be checked after parsing:
/// <list type="number">
/// <item>a per-caller rate (per IP, IPv6 per /64), refused with RESOURCE_EXHAUSTED and retry-after
/// before a byte of the body is read;</item>
/// <item>callers that are not at an authority's address (<see cref="AuthorityCallers"/>) may send
/// at most <see cref="AuthorityOptions.MaxOtherCallerBytes"/>, checked on the 5-byte gRPC length
/// prefix, so the message is never buffered;</item>
/// <item>authority callers, whose messages may be up to <see cref="AuthorityOptions.MaxVoteBytes"/>,
/// take one of the <see cref="ConsensusAuthority.Exchanges"/> slots before the body is read, so at
/// most that many large messages are buffered at once.</item>
/// </list>
/// A refusal is a trailers-only gRPC response, changes nothing and logs one line.
/// </summary>
internal sealed class AuthorityCallGate(
    RequestDelegate next,
    ClientRateLimiter limiter,
    AuthorityCallers callers,
    ConsensusAuthority authority,
    IOptions<AuthorityOptions> options,
    ILogger<AuthorityCallGate> logger)
{
    public const string ServicePath = "/mixnet.directory.v1.AuthorityService";

    private static readonly TimeSpan SlotWait = TimeSpan.FromSeconds(5);

    private readonly int _otherLimit = options.Value.MaxOtherCallerBytes;

    public Task InvokeAsync(HttpContext context) =>
        context.Request.Path.StartsWithSegments(ServicePath, StringComparison.Ordinal) ? GateAsync(context) : next(context);

    private async Task GateAsync(HttpContext context)
    {

        var remote = context.Connection.RemoteIpAddress;
        var operation = context.Request.Path.Value![(ServicePath.Length + 1)..];
        if (!limiter.TryAuthorityCall(remote, out var retryAfter))
        {
            AuthorityLog.Throttled(logger, operation, remote, "over Directory:RateLimits:AuthorityCallsPerSecondPerIp");
            Refuse(context, GrpcErrors.ResourceExhausted(string.Empty, "too many AuthorityService calls from this address", retryAfter));
            return;
        }

        if (!callers.IsAuthority(remote))
        {
            var declared = (await GrpcRefusals.PeekFrameHeaderAsync(context.Request.BodyReader, context.RequestAborted))?.Length ?? 0;
            if (declared > _otherLimit)
            {
                var message = $"request message of {declared} bytes is over the {_otherLimit} bytes AuthorityService accepts from an address that is not a configured authority's (Directory:AuthorityNetworks)";
                AuthorityLog.Refused(logger, operation, remote?.ToString(), message);
                Refuse(context, GrpcErrors.ResourceExhausted("request", message, TimeSpan.FromMinutes(1)));
                return;
            }

            await next(context);
            return;
        }

        // Before the body is read: grpc-dotnet buffers the whole message before the handler runs.
        if (!await authority.Exchanges.WaitAsync(SlotWait, context.RequestAborted))
        {
            AuthorityLog.Throttled(logger, operation, remote, "every exchange slot is busy");
            Refuse(context, GrpcErrors.ResourceExhausted(string.Empty, "the authority is busy with other exchanges", TimeSpan.FromSeconds(1)));
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            authority.Exchanges.Release();
        }
    }

    /// <summary>
    /// The length the first gRPC frame declares, leaving the body unread for grpc-dotnet
    /// (0 when the body ends first: grpc-dotnet then answers the malformed request itself).
    /// </summary>

    /// <summary>A trailers-only gRPC answer: status, message and the error's trailers as headers.</summary>
    private static void Refuse(HttpContext context, RpcException error)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        var headers = response.Headers;
        headers["grpc-status"] = ((int)error.StatusCode).ToString(CultureInfo.InvariantCulture);
        headers["grpc-message"] = Uri.EscapeDataString(error.Status.Detail);
        foreach (var entry in error.Trailers)
        {
            headers[entry.Key] = entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes) : entry.Value;
        }
    }
}
