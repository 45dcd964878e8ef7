using Google.Protobuf;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Server.Errors;

/// <summary>Field checks shared by the thin services; each throws INVALID_ARGUMENT naming the field.</summary>
internal static class RequestChecks
{
    public static void IdentityKey(ByteString key, string field = "identity_key")
    {
        if (key.Length != DirectorySignatures.PublicKeySize)
        {
            throw GrpcErrors.InvalidArgument(field, $"{field} must be {DirectorySignatures.PublicKeySize} bytes, got {key.Length}");
        }
    }

    public static void LeaseToken(ByteString token)
    {
        if (token.Length != DirectorySignatures.PublicKeySize)
        {
            throw GrpcErrors.InvalidArgument("lease_token", $"lease_token must be {DirectorySignatures.PublicKeySize} bytes, got {token.Length}");
        }
    }
}
