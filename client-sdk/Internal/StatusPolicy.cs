using Grpc.Core;

namespace Mixnet.Directory.Client.Internal;

/// <summary>What a long-lived loop does about a status code.</summary>
internal static class StatusPolicy
{
    /// <summary>Codes that say "not now": the call may work later without any change on our side.</summary>
    public static bool IsTransient(StatusCode code) => code is StatusCode.Unavailable or StatusCode.DeadlineExceeded
        or StatusCode.ResourceExhausted or StatusCode.Aborted or StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled;

    public static AgentReaction ForRegister(StatusCode code) => code switch
    {
        StatusCode.FailedPrecondition or StatusCode.AlreadyExists => AgentReaction.Refused,
        StatusCode.InvalidArgument or StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.Unimplemented => AgentReaction.Fatal,
        _ => AgentReaction.Retry,
    };

    public static AgentReaction ForHeartbeat(StatusCode code) => code switch
    {
        StatusCode.NotFound or StatusCode.Unauthenticated => AgentReaction.Reregister,
        StatusCode.InvalidArgument or StatusCode.PermissionDenied or StatusCode.Unimplemented => AgentReaction.Fatal,
        _ => AgentReaction.Retry,
    };
}
