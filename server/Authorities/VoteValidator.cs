using Google.Protobuf;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Authorities;

/// <summary>
/// Checks a signed vote before it is held: from a configured authority, signed by it over the
/// exact bytes, for the expected epoch, bounded in size, nodes in strictly ascending identity order
/// (so one vote can never count twice for one node). Node signatures are checked when combining,
/// only for the entries that reach a majority.
/// </summary>
internal static class VoteValidator
{
    /// <summary>The parsed vote; throws <see cref="DirectoryException"/> naming the field at fault.</summary>
    public static Vote Validate(SignedVote? signed, byte[][] configuredKeys, ulong expectedEpoch, int maxNodes)
    {
        if (signed is null || signed.Vote.IsEmpty)
        {
            throw new DirectoryException(DirectoryErrorKind.InvalidArgument, "vote", "vote is required");
        }

        Vote parsed;
        try
        {
            parsed = Vote.Parser.ParseFrom(signed.Vote);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new DirectoryException(DirectoryErrorKind.InvalidArgument, "vote", "vote is not a serialized Vote");
        }

        if (!IsConfigured(configuredKeys, parsed.AuthorityKey.Span))
        {
            throw new DirectoryException(DirectoryErrorKind.Unauthenticated, "vote.authority_key", "vote.authority_key is not a configured authority");
        }

        if (!DirectorySignatures.Verify(parsed.AuthorityKey.Span, SignatureDomain.Vote, signed.Vote.Span, signed.Signature.Span))
        {
            throw new DirectoryException(DirectoryErrorKind.Unauthenticated, "vote.signature", "signature does not verify against vote.authority_key over the vote bytes");
        }

        if (parsed.Epoch != expectedEpoch)
        {
            throw new DirectoryException(DirectoryErrorKind.FailedPrecondition, "vote.epoch", $"vote.epoch is {parsed.Epoch}, this authority is collecting votes for epoch {expectedEpoch}");
        }

        if (parsed.Nodes.Count > maxNodes)
        {
            throw new DirectoryException(DirectoryErrorKind.InvalidArgument, "vote.nodes", $"vote.nodes has {parsed.Nodes.Count} entries, at most {maxNodes} are allowed");
        }

        ByteString? previous = null;
        for (var i = 0; i < parsed.Nodes.Count; i++)
        {
            var node = parsed.Nodes[i];
            if (node.Descriptor_.Length is 0 or > Validation.DescriptorLimits.MaxDescriptorBytes || node.Signature.Length != DirectorySignatures.SignatureSize)
            {
                throw new DirectoryException(DirectoryErrorKind.InvalidArgument, "vote.nodes", $"vote.nodes[{i}] has a descriptor or signature of the wrong size");
            }

            NodeDescriptor descriptor;
            try
            {
                descriptor = NodeDescriptor.Parser.ParseFrom(node.Descriptor_);
            }
            catch (InvalidProtocolBufferException)
            {
                throw new DirectoryException(DirectoryErrorKind.InvalidArgument, "vote.nodes", $"vote.nodes[{i}].descriptor is not a NodeDescriptor");
            }

            if (previous is not null && previous.Span.SequenceCompareTo(descriptor.IdentityKey.Span) >= 0)
            {
                throw new DirectoryException(DirectoryErrorKind.InvalidArgument, "vote.nodes", $"vote.nodes[{i}] is out of order or repeats an identity key");
            }

            if (node.NodeQuality is { } quality && !IsWellFormed(quality, descriptor.IdentityKey))
            {
                // A NaN or out-of-range figure would make the median depend on sort details.
                throw new DirectoryException(DirectoryErrorKind.InvalidArgument, "vote.nodes", $"vote.nodes[{i}].node_quality must name the node and hold figures between 0 and 1");
            }

            previous = descriptor.IdentityKey;
        }

        return parsed;
    }

    private static bool IsWellFormed(NodeQuality quality, ByteString identityKey) =>
        quality.IdentityKey.Equals(identityKey)
        && quality.Reliability is >= 0 and <= 1
        && quality.Reliability24H is >= 0 and <= 1
        && quality.Uptime is >= 0 and <= 1;

    private static bool IsConfigured(byte[][] keys, ReadOnlySpan<byte> key)
    {
        foreach (var k in keys)
        {
            if (k.AsSpan().SequenceEqual(key))
            {
                return true;
            }
        }

        return false;
    }
}
