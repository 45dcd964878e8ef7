using Google.Protobuf;
using Mixnet.Directory.V1;
using Mixnet.Directory.Validation;

namespace Mixnet.Directory.Signing;

/// <summary>
/// The rules for accepting a consensus, shared by the authorities and the SDK so both refuse the
/// same documents: at least <c>threshold</c> distinct configured authority keys with valid signatures
/// over the exact document bytes, every listed node's own signature valid, nodes in canonical
/// order without duplicates, and the epoch current within the allowed clock skew.
/// </summary>
public static class ConsensusVerifier
{
    /// <summary>The clock skew tolerated between an authority and whoever checks its document.</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>The smallest safe threshold for <paramref name="authorityCount"/> authorities: ⌊N/2⌋+1, a strict majority.</summary>
    /// <param name="authorityCount">How many authorities are configured.</param>
    public static int Threshold(int authorityCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(authorityCount, 1);
        return (authorityCount / 2) + 1;
    }

    /// <summary>
    /// Checks the configured keys and threshold: keys must be 32 bytes and distinct, and the
    /// threshold a strict majority (two disjoint signer sets can never both reach it) and reachable.
    /// </summary>
    /// <param name="authorityKeys">The configured authority public keys.</param>
    /// <param name="threshold">The number of signatures required.</param>
    /// <returns>The keys, sorted by bytes.</returns>
    public static byte[][] CheckConfiguration(IEnumerable<byte[]> authorityKeys, int threshold)
    {
        ArgumentNullException.ThrowIfNull(authorityKeys);
        var keys = authorityKeys.ToArray();
        if (keys.Length == 0)
        {
            throw new ArgumentException("At least one authority key is required.", nameof(authorityKeys));
        }

        foreach (var key in keys)
        {
            if (key is null || key.Length != DirectorySignatures.PublicKeySize)
            {
                throw new ArgumentException($"Every authority key must be {DirectorySignatures.PublicKeySize} bytes.", nameof(authorityKeys));
            }
        }

        Array.Sort(keys, static (a, b) => a.AsSpan().SequenceCompareTo(b));
        for (var i = 1; i < keys.Length; i++)
        {
            if (keys[i].AsSpan().SequenceEqual(keys[i - 1]))
            {
                throw new ArgumentException($"Authority key {KeyFingerprint.Of(keys[i])} is configured twice.", nameof(authorityKeys));
            }
        }

        if (threshold < Threshold(keys.Length) || threshold > keys.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold,
                $"The threshold for {keys.Length} authorities must be between {Threshold(keys.Length)} (a strict majority) and {keys.Length}.");
        }

        return keys;
    }

    /// <summary>
    /// Counts the distinct configured keys whose signature over <paramref name="document"/> verifies.
    /// Unknown keys and repeated signers are skipped before any signature work, so the cost is at
    /// most one verification per configured key whatever the input.
    /// </summary>
    /// <param name="document">The exact document bytes.</param>
    /// <param name="signatures">The signatures offered.</param>
    /// <param name="sortedKeys">The configured keys, sorted (see <see cref="CheckConfiguration"/>).</param>
    public static int CountValidSignatures(ReadOnlySpan<byte> document, IEnumerable<AuthoritySignature> signatures, byte[][] sortedKeys)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        ArgumentNullException.ThrowIfNull(sortedKeys);
        var seen = new bool[sortedKeys.Length];
        var count = 0;
        foreach (var signature in signatures)
        {
            var index = IndexOf(sortedKeys, signature.AuthorityKey.Span);
            if (index < 0 || seen[index])
            {
                continue;
            }

            seen[index] = true;
            if (DirectorySignatures.Verify(sortedKeys[index], SignatureDomain.Consensus, document, signature.Signature.Span))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Verifies a signed consensus and returns its parsed document, or explains the refusal.
    /// </summary>
    /// <param name="consensus">The signed consensus as received.</param>
    /// <param name="sortedKeys">The configured authority keys, sorted (see <see cref="CheckConfiguration"/>).</param>
    /// <param name="threshold">The number of distinct valid signatures required.</param>
    /// <param name="now">The checker's clock.</param>
    /// <param name="clockSkew">The tolerated clock skew.</param>
    /// <param name="document">The parsed document when accepted.</param>
    /// <param name="error">Why the consensus was refused.</param>
    public static bool TryVerify(SignedConsensus? consensus, byte[][] sortedKeys, int threshold, DateTimeOffset now, TimeSpan clockSkew, out ConsensusDocument? document, out string error)
    {
        ArgumentNullException.ThrowIfNull(sortedKeys);
        document = null;
        if (consensus is null || consensus.Document.IsEmpty)
        {
            error = "no consensus document";
            return false;
        }

        var valid = CountValidSignatures(consensus.Document.Span, consensus.Signatures, sortedKeys);
        if (valid < threshold)
        {
            error = $"the consensus carries {valid} valid signatures by distinct configured authorities; {threshold} are required";
            return false;
        }

        ConsensusDocument parsed;
        try
        {
            parsed = ConsensusDocument.Parser.ParseFrom(consensus.Document);
        }
        catch (InvalidProtocolBufferException)
        {
            error = "the signed document is not a ConsensusDocument";
            return false;
        }

        if (!TryCheckDocument(parsed, now, clockSkew, out error))
        {
            return false;
        }

        document = parsed;
        return true;
    }

    /// <summary>Checks a parsed document's epoch window and every node in it (not its authority signatures).</summary>
    /// <param name="document">The parsed document.</param>
    /// <param name="now">The checker's clock.</param>
    /// <param name="clockSkew">The tolerated clock skew.</param>
    /// <param name="error">Why the document was refused.</param>
    public static bool TryCheckDocument(ConsensusDocument document, DateTimeOffset now, TimeSpan clockSkew, out string error)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.ValidAfter is null || document.FreshUntil is null || document.ValidUntil is null)
        {
            error = "the consensus lacks valid_after, fresh_until or valid_until";
            return false;
        }

        var validAfter = document.ValidAfter.ToDateTimeOffset();
        var freshUntil = document.FreshUntil.ToDateTimeOffset();
        var validUntil = document.ValidUntil.ToDateTimeOffset();
        if (!(validAfter < freshUntil && freshUntil <= validUntil))
        {
            error = "the consensus times are out of order (valid_after < fresh_until <= valid_until is required)";
            return false;
        }

        if (now < validAfter - clockSkew)
        {
            error = $"the consensus for epoch {document.Epoch} is not valid before {validAfter:O} (check the clock)";
            return false;
        }

        if (now > validUntil + clockSkew)
        {
            error = $"the consensus for epoch {document.Epoch} expired at {validUntil:O}";
            return false;
        }

        ReadOnlySpan<byte> previous = default;
        for (var i = 0; i < document.Nodes.Count; i++)
        {
            if (!TryReadNode(document.Nodes[i], out var descriptor, out error))
            {
                error = $"nodes[{i}]: {error}";
                return false;
            }

            var id = descriptor!.IdentityKey.Span;
            if (i > 0 && previous.SequenceCompareTo(id) >= 0)
            {
                error = $"nodes[{i}]: nodes are not in strictly ascending identity key order";
                return false;
            }

            previous = id;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>Parses a node entry and checks its fields and the node's own signature over its exact bytes.</summary>
    /// <param name="node">The entry.</param>
    /// <param name="descriptor">The parsed descriptor when valid.</param>
    /// <param name="error">Why the entry was refused.</param>
    public static bool TryReadNode(ConsensusNode node, out NodeDescriptor? descriptor, out string error)
    {
        ArgumentNullException.ThrowIfNull(node);
        descriptor = null;
        if (node.Descriptor_.IsEmpty || node.Descriptor_.Length > DescriptorLimits.MaxDescriptorBytes)
        {
            error = $"descriptor must be 1..{DescriptorLimits.MaxDescriptorBytes} bytes";
            return false;
        }

        NodeDescriptor parsed;
        try
        {
            parsed = NodeDescriptor.Parser.ParseFrom(node.Descriptor_);
        }
        catch (InvalidProtocolBufferException)
        {
            error = "descriptor is not a NodeDescriptor";
            return false;
        }

        if (NodeDescriptorRules.Validate(parsed) is { } invalid)
        {
            error = invalid.ToString();
            return false;
        }

        if (!DirectorySignatures.Verify(parsed.IdentityKey.Span, SignatureDomain.NodeDescriptor, node.Descriptor_.Span, node.Signature.Span))
        {
            error = "the node's signature does not verify over its descriptor";
            return false;
        }

        descriptor = parsed;
        error = string.Empty;
        return true;
    }

    private static int IndexOf(byte[][] sortedKeys, ReadOnlySpan<byte> key)
    {
        int low = 0, high = sortedKeys.Length - 1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            var order = sortedKeys[mid].AsSpan().SequenceCompareTo(key);
            if (order == 0)
            {
                return mid;
            }

            if (order < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return -1;
    }
}
