using Google.Protobuf;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;
using Mixnet.Directory.Validation;

namespace Mixnet.Directory.Fuzz;

/// <summary>
/// A serialized <see cref="RegisterNodeRequest"/> taken the way the directory takes one: the
/// request parsed, the descriptor's size bounded, the descriptor parsed and checked against
/// <see cref="NodeDescriptorRules"/>, then the signature verified over the exact bytes.
/// </summary>
public static class DescriptorTarget
{
    /// <summary>The target's name on the command line and its corpus folder.</summary>
    public const string Name = "descriptor";

    /// <summary>Runs one input.</summary>
    /// <param name="input">The bytes afl (or the corpus) supplied.</param>
    public static FuzzOutcome Run(ReadOnlySpan<byte> input)
    {
        RegisterNodeRequest request;
        try
        {
            request = RegisterNodeRequest.Parser.ParseFrom(input);
        }
        catch (InvalidProtocolBufferException)
        {
            return FuzzOutcome.Refuse(FuzzOutcome.Unparsable);
        }

        if (request.Descriptor_.IsEmpty || request.Descriptor_.Length > DescriptorLimits.MaxDescriptorBytes)
        {
            return FuzzOutcome.Refuse("descriptor");
        }

        NodeDescriptor descriptor;
        try
        {
            descriptor = NodeDescriptor.Parser.ParseFrom(request.Descriptor_);
        }
        catch (InvalidProtocolBufferException)
        {
            return FuzzOutcome.Refuse("descriptor");
        }

        if (NodeDescriptorRules.Validate(descriptor) is { } error)
        {
            return FuzzOutcome.Refuse(error.Field);
        }

        HostTarget.CheckCanonical(descriptor.Host);
        if (!DirectorySignatures.Verify(descriptor.IdentityKey.Span, SignatureDomain.NodeDescriptor, request.Descriptor_.Span, request.Signature.Span))
        {
            return FuzzOutcome.Refuse("signature");
        }

        // What the directory stores is its own re-serialization: it must read back as the same, still valid, descriptor.
        var again = NodeDescriptor.Parser.ParseFrom(descriptor.ToByteArray());
        if (!again.Equals(descriptor) || NodeDescriptorRules.Validate(again) is not null)
        {
            throw new InvariantViolatedException("an accepted descriptor does not survive re-serialization");
        }

        return FuzzOutcome.Accept;
    }
}
