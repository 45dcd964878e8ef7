using Google.Rpc;
using Grpc.Core;

namespace Mixnet.Directory.Server.Errors;

/// <summary>
/// The one way errors leave the server: a status code per DESIGN.md §2 and a detail that names
/// the field, as text and as a google.rpc.BadRequest field violation for programs.
/// </summary>
internal static class GrpcErrors
{
    public static RpcException From(DirectoryException error) => error.RetryAfter is { } retry
        ? ResourceExhausted(error.Field, error.Message, retry)
        : Create(Map(error.Kind), error.Field, error.Message);

    public static RpcException InvalidArgument(string field, string message) => Create(StatusCode.InvalidArgument, field, message);

    public static RpcException Unauthenticated(string field, string message) => Create(StatusCode.Unauthenticated, field, message);

    public static RpcException PermissionDenied(string field, string message) => Create(StatusCode.PermissionDenied, field, message);

    public static RpcException NotFound(string field, string message) => Create(StatusCode.NotFound, field, message);

    /// <summary>RESOURCE_EXHAUSTED with <c>retry-after</c> (seconds) and <c>grpc-retry-pushback-ms</c>, which gRPC retry policies honour.</summary>
    public static RpcException ResourceExhausted(string field, string message, TimeSpan retryAfter)
    {
        var ex = Create(StatusCode.ResourceExhausted, field, message);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        ex.Trailers.Add("retry-after", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ex.Trailers.Add("grpc-retry-pushback-ms", ((long)Math.Max(1, retryAfter.TotalMilliseconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return ex;
    }

    public static RpcException Unavailable(string message) => new(new Grpc.Core.Status(StatusCode.Unavailable, message));

    private static RpcException Create(StatusCode code, string field, string message)
    {
        // Messages quote client text (next hops, hosts) and grpc-dotnet logs them.
        message = LogText.Escape(message);
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        if (!string.IsNullOrEmpty(field))
        {
            status.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(new BadRequest
            {
                FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = message } },
            }));
        }

        return status.ToRpcException();
    }

    private static StatusCode Map(DirectoryErrorKind kind) => kind switch
    {
        DirectoryErrorKind.InvalidArgument => StatusCode.InvalidArgument,
        DirectoryErrorKind.Unauthenticated => StatusCode.Unauthenticated,
        DirectoryErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
        DirectoryErrorKind.NotFound => StatusCode.NotFound,
        DirectoryErrorKind.AlreadyExists => StatusCode.AlreadyExists,
        DirectoryErrorKind.PermissionDenied => StatusCode.PermissionDenied,
        DirectoryErrorKind.ResourceExhausted => StatusCode.ResourceExhausted,
        _ => StatusCode.Internal,
    };
}
