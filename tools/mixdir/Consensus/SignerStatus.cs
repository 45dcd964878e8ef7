namespace Mixnet.Directory.Cli.Consensus;

/// <summary>One authority key's part in a consensus: pinned or not, and what its signature showed.</summary>
/// <param name="Key">The authority's 32-byte public key.</param>
/// <param name="Pinned">Whether the key is one of the pinned keys.</param>
/// <param name="State">signed (valid signature), missing (pinned, no signature), invalid (pinned, bad signature), unpinned (signed, but not pinned: not counted).</param>
public sealed record SignerStatus(byte[] Key, bool Pinned, string State)
{
    /// <summary>A pinned key with a valid signature.</summary>
    public const string SignedState = "signed";

    /// <summary>A pinned key without a signature.</summary>
    public const string MissingState = "missing";

    /// <summary>A pinned key whose signature does not verify over the document bytes.</summary>
    public const string InvalidState = "invalid";

    /// <summary>A signature by a key that is not pinned; never counted.</summary>
    public const string UnpinnedState = "unpinned";
}
