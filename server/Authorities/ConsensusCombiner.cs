using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Authorities;

/// <summary>
/// Combines the votes of one epoch into the consensus document. Deterministic: every honest
/// authority holding the same votes writes byte-identical documents (nodes sorted by identity
/// key, keys sorted by bytes, no maps, times derived from the epoch alone).
/// </summary>
internal static class ConsensusCombiner
{
    /// <summary>
    /// A node is listed when more than half of the CONFIGURED authorities (not of the votes
    /// received) carry it with byte-identical descriptor and signature, so a lie in one vote (a
    /// swapped sphinx key, a fake node) cannot win without a majority behind it. Returns null when
    /// fewer than the threshold of votes is held: no majority is possible then.
    /// </summary>
    /// <param name="epoch">The epoch.</param>
    /// <param name="clock">The epoch arithmetic.</param>
    /// <param name="sortedKeys">The configured authority keys, sorted.</param>
    /// <param name="votes">Validated votes of distinct configured authorities for <paramref name="epoch"/>.</param>
    /// <param name="verifiedAuthor">
    /// This authority's key: the entries of its own vote come from its registry, which checked each
    /// node's signature over these exact bytes at registration, so they are not checked again
    /// (10,000 Ed25519 verifications are most of an epoch's CPU). Every other entry is.
    /// </param>
    public static ConsensusDocument? Combine(ulong epoch, EpochClock clock, byte[][] sortedKeys, IReadOnlyCollection<Vote> votes, byte[]? verifiedAuthor = null)
    {
        var verified = new HashSet<(ByteString, ByteString)>();
        var threshold = ConsensusVerifier.Threshold(sortedKeys.Length);
        var authors = new HashSet<ByteString>();
        var counts = new Dictionary<(ByteString Descriptor, ByteString Signature), int>();
        var figures = new Dictionary<(ByteString Descriptor, ByteString Signature), List<NodeQuality>>();
        foreach (var vote in votes)
        {
            // One vote per authority, whatever the caller passed.
            if (vote.Epoch != epoch || !authors.Add(vote.AuthorityKey))
            {
                continue;
            }

            var inThisVote = new HashSet<(ByteString, ByteString)>();
            var own = verifiedAuthor is not null && vote.AuthorityKey.Span.SequenceEqual(verifiedAuthor);
            foreach (var node in vote.Nodes)
            {
                var key = (node.Descriptor_, node.Signature);
                if (inThisVote.Add(key))
                {
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                    if (own)
                    {
                        verified.Add(key);
                    }

                    if (node.NodeQuality is { } quality)
                    {
                        if (!figures.TryGetValue(key, out var list))
                        {
                            figures[key] = list = [];
                        }

                        list.Add(quality);
                    }
                }
            }
        }

        if (authors.Count < threshold)
        {
            return null;
        }

        var winners = new SortedDictionary<ByteString, ConsensusNode?>(ByteStringOrder.Instance);
        foreach (var ((descriptor, signature), count) in counts)
        {
            if (count * 2 <= sortedKeys.Length)
            {
                continue;
            }

            var node = new ConsensusNode { Descriptor_ = descriptor, Signature = signature };
            var parsed = verified.Contains((descriptor, signature)) ? ReadVerified(descriptor) : ConsensusVerifier.TryReadNode(node, out var checkedNow, out _) ? checkedNow : null;
            if (parsed is null)
            {
                continue;
            }

            if (figures.TryGetValue((descriptor, signature), out var qualities))
            {
                node.NodeQuality = Median(parsed!.IdentityKey, qualities);
            }

            // Two majorities for one identity cannot happen with valid votes (one entry per
            // identity per vote); should it, the identity is left out rather than picked at random.
            winners[parsed!.IdentityKey] = winners.ContainsKey(parsed.IdentityKey) ? null : node;
        }

        var document = new ConsensusDocument
        {
            Epoch = epoch,
            ValidAfter = Timestamp.FromDateTimeOffset(clock.StartOf(epoch)),
            FreshUntil = Timestamp.FromDateTimeOffset(clock.FreshUntil(epoch)),
            ValidUntil = Timestamp.FromDateTimeOffset(clock.ValidUntil(epoch)),
        };
        foreach (var key in sortedKeys)
        {
            document.AuthorityKeys.Add(ByteString.CopyFrom(key));
        }

        foreach (var node in winners.Values)
        {
            if (node is not null)
            {
                document.Nodes.Add(node);
            }
        }

        return document;
    }

    /// <summary>The descriptor of an entry whose signature this authority checked at registration; its rules are checked again.</summary>
    private static NodeDescriptor? ReadVerified(ByteString descriptor)
    {
        try
        {
            var parsed = NodeDescriptor.Parser.ParseFrom(descriptor);
            return Validation.NodeDescriptorRules.Validate(parsed) is null ? parsed : null;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>
    /// Tor's rule (dir-spec §3.8.1): each number is the median of the votes' figures, the lower
    /// one of an even count, so a minority of authorities cannot move it past an honest figure;
    /// a flag holds when more than half of the votes with figures set it. The result depends on
    /// the multiset of figures only, not on the order the votes arrived in.
    /// </summary>
    public static NodeQuality Median(ByteString identityKey, IReadOnlyList<NodeQuality> qualities) => new()
    {
        IdentityKey = identityKey,
        Reliability = LowMedian(qualities.Select(q => q.Reliability)),
        Reliability24H = LowMedian(qualities.Select(q => q.Reliability24H)),
        Uptime = LowMedian(qualities.Select(q => q.Uptime)),
        Excluded = qualities.Count(q => q.Excluded) * 2 > qualities.Count,
    };

    private static double LowMedian(IEnumerable<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted[(sorted.Length - 1) / 2];
    }
}
