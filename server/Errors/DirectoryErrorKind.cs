namespace Mixnet.Directory.Server.Errors;

/// <summary>Why the directory refused a request (DESIGN.md §2 Errors); mapped to a gRPC status at the edge.</summary>
internal enum DirectoryErrorKind
{
    InvalidArgument,
    Unauthenticated,
    FailedPrecondition,
    NotFound,
    AlreadyExists,
    PermissionDenied,
    ResourceExhausted,
}
