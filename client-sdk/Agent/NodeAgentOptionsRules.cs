using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Client.Internal;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;
using Mixnet.Directory.Validation;

namespace Mixnet.Directory.Client;

/// <summary>What makes <see cref="NodeAgentOptions"/> usable, shared by the agent's constructor and <c>ValidateOnStart</c>.</summary>
internal static class NodeAgentOptionsRules
{
    private static readonly byte[] PlaceholderKey = new byte[DirectorySignatures.PublicKeySize];

    /// <summary>The first problem with the options, or null when an agent can be built from them.</summary>
    /// <param name="options">The options.</param>
    /// <param name="requireAddress">False when the agent is given a call invoker instead of an address.</param>
    public static string? Validate(NodeAgentOptions options, bool requireAddress)
    {
        if (requireAddress && options.AllDirectoryAddresses.Count == 0)
        {
            return "NodeAgentOptions.DirectoryAddress (or DirectoryAddresses) is required.";
        }

        if (options.MinBackoff <= TimeSpan.Zero || options.MaxBackoff < options.MinBackoff)
        {
            return "NodeAgentOptions: MinBackoff must be positive and at most MaxBackoff.";
        }

        if (options.CallTimeout <= TimeSpan.Zero || options.DeregisterTimeout <= TimeSpan.Zero || options.FirstMetricsReportDelay <= TimeSpan.Zero)
        {
            return "NodeAgentOptions: CallTimeout, DeregisterTimeout and FirstMetricsReportDelay must be positive.";
        }

        if (options.Role == NodeRole.Mixnode && options.Layer is null)
        {
            return "NodeAgentOptions.Layer is required for a mixnode (1..3).";
        }

        var error = NodeDescriptorRules.Validate(Descriptor(options, PlaceholderKey, PlaceholderKey, DateTimeOffset.UnixEpoch), "NodeAgentOptions descriptor.");
        return error is null ? null : $"NodeAgentOptions do not make a valid node descriptor: {error}";
    }

    public static NodeDescriptor Descriptor(NodeAgentOptions options, ReadOnlyMemory<byte> identityKey, ReadOnlyMemory<byte> sphinxKey, DateTimeOffset signedAt) => new()
    {
        IdentityKey = UnsafeByteOperations.UnsafeWrap(identityKey),
        SphinxKey = UnsafeByteOperations.UnsafeWrap(sphinxKey),
        Role = ProtoMapping.ToProto(options.Role),
        Layer = unchecked((uint)options.EffectiveLayer),
        Host = options.Host ?? "",
        MixPort = unchecked((uint)options.MixPort),
        ClientPort = unchecked((uint)options.ClientPort),
        Version = options.Version ?? "",
        Location = options.Location ?? "",
        SignedAt = Timestamp.FromDateTimeOffset(signedAt),
    };
}
