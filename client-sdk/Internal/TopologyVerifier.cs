using Google.Protobuf;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Client.Internal;

/// <summary>Checks the directory's signature over the exact bytes received, then parses them.</summary>
internal static class TopologyVerifier
{
    public static TopologySnapshot VerifySnapshot(SignedTopology? signed, ReadOnlySpan<byte> directoryKey)
    {
        if (signed is null || !DirectorySignatures.Verify(directoryKey, SignatureDomain.Topology, signed.Topology.Span, signed.Signature.Span))
        {
            throw new TopologyVerificationException(
                $"The topology snapshot's signature does not verify against the directory key {KeyFingerprint.Of(directoryKey)}; refusing it.");
        }

        try
        {
            return TopologySnapshot.Parser.ParseFrom(signed.Topology);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new TopologyVerificationException("The signed topology snapshot is not a valid TopologySnapshot.", ex);
        }
    }

    public static TopologyDelta VerifyDelta(SignedTopologyDelta? signed, ReadOnlySpan<byte> directoryKey)
    {
        if (signed is null || !DirectorySignatures.Verify(directoryKey, SignatureDomain.TopologyDelta, signed.Delta.Span, signed.Signature.Span))
        {
            throw new TopologyVerificationException(
                $"The topology delta's signature does not verify against the directory key {KeyFingerprint.Of(directoryKey)}; refusing it.");
        }

        try
        {
            return TopologyDelta.Parser.ParseFrom(signed.Delta);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new TopologyVerificationException("The signed topology delta is not a valid TopologyDelta.", ex);
        }
    }
}
