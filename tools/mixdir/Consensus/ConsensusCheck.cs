using Google.Protobuf;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Cli.Consensus;

/// <summary>
/// A signed consensus checked against the pinned keys with the SDK's <see cref="ConsensusVerifier"/>
/// (t distinct pinned signatures over the exact bytes, every node's own signature, the epoch window),
/// plus what a person wants to see: which pinned keys signed and which did not.
/// </summary>
/// <param name="Document">The parsed document; null when the bytes are not a ConsensusDocument.</param>
/// <param name="Signers">Every pinned key, then every unpinned signer, in key order.</param>
/// <param name="ValidSignatures">Distinct pinned keys whose signature verifies.</param>
/// <param name="Verified">Whether the consensus passes every rule; false under --no-verify.</param>
/// <param name="Failure">Why it does not verify; null when it does, or when not checked.</param>
/// <param name="Nodes">The node counts; null without a document.</param>
public sealed record ConsensusCheck(ConsensusDocument? Document, IReadOnlyList<SignerStatus> Signers, int ValidSignatures, bool Verified, string? Failure, NodeCounts? Nodes)
{
    /// <summary>The epoch, or 0 without a document.</summary>
    public ulong Epoch => Document?.Epoch ?? 0;

    /// <summary>Checks <paramref name="consensus"/> at <paramref name="now"/>.</summary>
    public static ConsensusCheck Of(SignedConsensus consensus, ConsensusTrust trust, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(consensus);
        ArgumentNullException.ThrowIfNull(trust);
        ConsensusDocument? document = null;
        try
        {
            document = ConsensusDocument.Parser.ParseFrom(consensus.Document);
        }
        catch (InvalidProtocolBufferException)
        {
            // Reported by TryVerify below, or shown as unreadable under --no-verify.
        }

        var signers = Classify(consensus, trust.SortedKeys);
        var valid = signers.Count(s => s.State == SignerStatus.SignedState);
        string? failure = null;
        var verified = trust.Verify
            && ConsensusVerifier.TryVerify(consensus, trust.SortedKeys, trust.Threshold, now, ConsensusVerifier.DefaultClockSkew, out _, out failure);
        if (!trust.Verify)
        {
            failure = null;
        }

        return new ConsensusCheck(document, signers, valid, verified, verified ? null : failure, document is null ? null : NodeCounts.Of(document));
    }

    // The same rule as ConsensusVerifier.CountValidSignatures (the first signature of a key counts,
    // repeats are ignored), spelled out per key so the output can say who signed.
    private static List<SignerStatus> Classify(SignedConsensus consensus, byte[][] sortedKeys)
    {
        var states = new Dictionary<string, SignerStatus>(StringComparer.Ordinal);
        var pinned = sortedKeys.ToDictionary(k => KeyFingerprint.Hex(k), k => k, StringComparer.Ordinal);
        foreach (var signature in consensus.Signatures)
        {
            var hex = KeyFingerprint.Hex(signature.AuthorityKey.Span);
            if (states.ContainsKey(hex))
            {
                continue;
            }

            if (pinned.TryGetValue(hex, out var key))
            {
                var ok = DirectorySignatures.Verify(key, SignatureDomain.Consensus, consensus.Document.Span, signature.Signature.Span);
                states[hex] = new SignerStatus(key, Pinned: true, ok ? SignerStatus.SignedState : SignerStatus.InvalidState);
            }
            else
            {
                states[hex] = new SignerStatus(signature.AuthorityKey.ToByteArray(), Pinned: false, SignerStatus.UnpinnedState);
            }
        }

        var list = sortedKeys.Select(k => states.GetValueOrDefault(KeyFingerprint.Hex(k)) ?? new SignerStatus(k, Pinned: true, SignerStatus.MissingState)).ToList();
        list.AddRange(states.Values.Where(s => !s.Pinned).OrderBy(s => KeyFingerprint.Hex(s.Key), StringComparer.Ordinal));
        return list;
    }
}
