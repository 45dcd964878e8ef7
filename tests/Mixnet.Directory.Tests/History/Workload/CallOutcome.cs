using Grpc.Core;

namespace Mixnet.Directory.Tests.History.Workload;

/// <summary>Which failures are definite refusals (no state changed) and which leave the write's fate unknown.</summary>
internal static class CallOutcome
{
    public static WriteOutcome Of(RpcException ex) => ex.StatusCode switch
    {
        StatusCode.InvalidArgument or StatusCode.Unauthenticated or StatusCode.FailedPrecondition or StatusCode.NotFound
            or StatusCode.AlreadyExists or StatusCode.PermissionDenied or StatusCode.ResourceExhausted => WriteOutcome.Refused,
        _ => WriteOutcome.Unknown,
    };

    public static DateTime Deadline => DateTime.UtcNow.AddSeconds(10);
}
