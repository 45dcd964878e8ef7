using System.Collections.Immutable;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Client.Internal;

/// <summary>Verifies a signed consensus with the shared rules and maps it to the SDK's <see cref="Topology"/>.</summary>
internal static class ConsensusMapping
{
    public static Topology Verify(SignedConsensus? consensus, byte[][] sortedKeys, int threshold, DateTimeOffset now, TimeSpan clockSkew)
    {
        if (!ConsensusVerifier.TryVerify(consensus, sortedKeys, threshold, now, clockSkew, out var document, out var error))
        {
            throw new TopologyVerificationException("Refusing the consensus: " + error + ".");
        }

        var builder = ImmutableDictionary.CreateBuilder<KeyId, NodeInfo>();
        foreach (var node in document!.Nodes)
        {
            // Checked by TryVerify (signature, fields, order); parsed again here for the mapping.
            var descriptor = NodeDescriptor.Parser.ParseFrom(node.Descriptor_);
            builder[KeyId.From(descriptor.IdentityKey.Span)] = ProtoMapping.ToNodeInfo(descriptor);
        }

        // Counted again for the record (at most one verification per pinned key): TryVerify only
        // says the threshold was met.
        var signers = ConsensusVerifier.CountValidSignatures(consensus!.Document.Span, consensus.Signatures, sortedKeys);
        var info = new ConsensusInfo(
            document.Epoch,
            document.ValidAfter.ToDateTimeOffset(),
            document.FreshUntil.ToDateTimeOffset(),
            document.ValidUntil.ToDateTimeOffset(),
            signers,
            threshold);
        return new Topology(document.Epoch, info.ValidAfter, builder.ToImmutable()) { Consensus = info };
    }
}
