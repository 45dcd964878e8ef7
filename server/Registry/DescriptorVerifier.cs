using Google.Protobuf;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;
using Mixnet.Directory.Validation;

namespace Mixnet.Directory.Server.Registry;

/// <summary>
/// Parses a signed descriptor and checks everything that needs no state: size, shape, field
/// rules, the node's own signature over the exact bytes sent, and the clock skew.
/// </summary>
internal static class DescriptorVerifier
{
    /// <summary>The parsed descriptor. Throws <see cref="DirectoryException"/> naming the field at fault.</summary>
    public static NodeDescriptor Verify(ByteString descriptorBytes, ByteString signature, DateTimeOffset now, TimeSpan maxClockSkew)
    {
        if (descriptorBytes.IsEmpty)
        {
            throw new DirectoryException(DirectoryErrorKind.InvalidArgument, "descriptor", "descriptor is required");
        }

        if (descriptorBytes.Length > DescriptorLimits.MaxDescriptorBytes)
        {
            throw new DirectoryException(DirectoryErrorKind.InvalidArgument, "descriptor",
                $"descriptor must be at most {DescriptorLimits.MaxDescriptorBytes} bytes, got {descriptorBytes.Length}");
        }

        NodeDescriptor descriptor;
        try
        {
            descriptor = NodeDescriptor.Parser.ParseFrom(descriptorBytes);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new DirectoryException(DirectoryErrorKind.InvalidArgument, "descriptor", "descriptor is not a serialized NodeDescriptor");
        }

        if (NodeDescriptorRules.Validate(descriptor) is { } error)
        {
            throw new DirectoryException(DirectoryErrorKind.InvalidArgument, error.Field, error.ToString());
        }

        // The signature covers the bytes as sent; what is compared, counted and published is the
        // canonical host (the snapshot is the directory's own signed statement).
        var host = CanonicalHost.Of(descriptor.Host);
        if (CanonicalHost.Refusal(host) is { } refusal)
        {
            throw new DirectoryException(DirectoryErrorKind.InvalidArgument, "descriptor.host", refusal);
        }

        if (signature.Length != DirectorySignatures.SignatureSize)
        {
            throw new DirectoryException(DirectoryErrorKind.InvalidArgument, "signature",
                $"signature must be {DirectorySignatures.SignatureSize} bytes, got {signature.Length}");
        }

        if (!DirectorySignatures.Verify(descriptor.IdentityKey.Span, SignatureDomain.NodeDescriptor, descriptorBytes.Span, signature.Span))
        {
            throw new DirectoryException(DirectoryErrorKind.Unauthenticated, "signature",
                "signature does not verify against descriptor.identity_key over the descriptor bytes");
        }

        var skew = descriptor.SignedAt.ToDateTimeOffset() - now;
        if (skew.Duration() > maxClockSkew)
        {
            throw new DirectoryException(DirectoryErrorKind.FailedPrecondition, "descriptor.signed_at",
                $"descriptor.signed_at is {skew.TotalSeconds:F0} s from the directory's clock; at most {maxClockSkew.TotalSeconds:F0} s is allowed (check the node's clock)");
        }

        descriptor.Host = host;
        return descriptor;
    }

    /// <summary>True when two descriptors differ in nothing a client sees but signed_at.</summary>
    public static bool SameExceptSignedAt(NodeDescriptor a, NodeDescriptor b) =>
        a.IdentityKey == b.IdentityKey && a.SphinxKey == b.SphinxKey && a.Role == b.Role && a.Layer == b.Layer
        && a.Host == b.Host && a.MixPort == b.MixPort && a.ClientPort == b.ClientPort
        && a.Version == b.Version && a.Location == b.Location;
}
