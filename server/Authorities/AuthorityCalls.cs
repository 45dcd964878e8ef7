using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Keys;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Authorities;

/// <summary>
/// The signed envelope of Fetch requests: an <see cref="AuthorityCall"/> naming the method and the
/// epoch, signed by a configured authority in its own domain, fresh within the clock skew.
/// </summary>
internal static class AuthorityCalls
{
    public const string FetchVotesMethod = "/mixnet.directory.v1.AuthorityService/FetchVotes";
    public const string FetchSignaturesMethod = "/mixnet.directory.v1.AuthorityService/FetchSignatures";

    public static SignedAuthorityCall Sign(DirectorySigningKey key, string method, ulong epoch, DateTimeOffset now)
    {
        var bytes = new AuthorityCall
        {
            Method = method,
            Epoch = epoch,
            SignedAt = Timestamp.FromDateTimeOffset(now),
            AuthorityKey = ByteString.CopyFrom(key.PublicKey),
        }.ToByteArray();
        return new SignedAuthorityCall
        {
            Call = UnsafeByteOperations.UnsafeWrap(bytes),
            Signature = UnsafeByteOperations.UnsafeWrap(key.Sign(SignatureDomain.AuthorityCall, bytes)),
        };
    }

    /// <summary>The verified call; throws <see cref="DirectoryException"/> when it is not from a configured authority.</summary>
    public static AuthorityCall Verify(SignedAuthorityCall? signed, string method, AuthoritySet authorities, DateTimeOffset now, TimeSpan skew)
    {
        if (signed is null || signed.Call.IsEmpty || signed.Call.Length > 1024)
        {
            throw new DirectoryException(DirectoryErrorKind.InvalidArgument, "call", "call is required and at most 1024 bytes");
        }

        AuthorityCall call;
        try
        {
            call = AuthorityCall.Parser.ParseFrom(signed.Call);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new DirectoryException(DirectoryErrorKind.InvalidArgument, "call", "call is not a serialized AuthorityCall");
        }

        if (!authorities.IsConfigured(call.AuthorityKey.Span)
            || !DirectorySignatures.Verify(call.AuthorityKey.Span, SignatureDomain.AuthorityCall, signed.Call.Span, signed.Signature.Span))
        {
            throw new DirectoryException(DirectoryErrorKind.Unauthenticated, "call.signature", "the call is not signed by a configured authority");
        }

        if (!string.Equals(call.Method, method, StringComparison.Ordinal))
        {
            throw new DirectoryException(DirectoryErrorKind.InvalidArgument, "call.method", $"call.method must be {method}");
        }

        if (call.SignedAt is null || (call.SignedAt.ToDateTimeOffset() - now).Duration() > skew)
        {
            throw new DirectoryException(DirectoryErrorKind.FailedPrecondition, "call.signed_at", "call.signed_at is outside the allowed clock skew");
        }

        return call;
    }
}
