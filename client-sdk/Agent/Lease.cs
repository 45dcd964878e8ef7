namespace Mixnet.Directory.Client;

/// <summary>A lease with its token. The token is a secret: it never leaves the agent and is never logged.</summary>
internal sealed class Lease(byte[] token, LeaseInfo info)
{
    public Google.Protobuf.ByteString Token { get; } = Google.Protobuf.UnsafeByteOperations.UnsafeWrap(token);

    public LeaseInfo Info { get; set; } = info;

    /// <inheritdoc/>
    public override string ToString() => $"Lease until {Info.ExpiresAt:O}";
}
