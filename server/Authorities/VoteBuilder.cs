using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Authorities;

/// <summary>Makes this authority's vote: the live nodes' own signed descriptors, sorted by identity key.</summary>
internal static class VoteBuilder
{
    /// <summary>Builds the vote; entries are (identity key, descriptor bytes as sent, node signature).</summary>
    public static Vote Build(ulong epoch, ReadOnlySpan<byte> authorityKey, DateTimeOffset now, IEnumerable<(byte[] IdentityKey, byte[] Descriptor, byte[] Signature)> nodes) =>
        BuildWithQuality(epoch, authorityKey, now, nodes.Select(n => (n.IdentityKey, n.Descriptor, n.Signature, (NodeQuality?)null)));

    /// <summary>Builds the vote with this authority's quality figures for the nodes that have them.</summary>
    public static Vote BuildWithQuality(ulong epoch, ReadOnlySpan<byte> authorityKey, DateTimeOffset now, IEnumerable<(byte[] IdentityKey, byte[] Descriptor, byte[] Signature, NodeQuality? Quality)> nodes)
    {
        var sorted = nodes.ToList();
        sorted.Sort(static (a, b) => a.IdentityKey.AsSpan().SequenceCompareTo(b.IdentityKey));
        var vote = new Vote
        {
            Epoch = epoch,
            AuthorityKey = ByteString.CopyFrom(authorityKey),
            CreatedAt = Timestamp.FromDateTimeOffset(now),
        };
        for (var i = 0; i < sorted.Count; i++)
        {
            // One entry per identity: the registry holds one record per identity, so this only
            // guards the canonical form that peers check.
            if (i > 0 && sorted[i].IdentityKey.AsSpan().SequenceEqual(sorted[i - 1].IdentityKey))
            {
                continue;
            }

            vote.Nodes.Add(new ConsensusNode
            {
                Descriptor_ = UnsafeByteOperations.UnsafeWrap(sorted[i].Descriptor),
                Signature = UnsafeByteOperations.UnsafeWrap(sorted[i].Signature),
                NodeQuality = sorted[i].Quality,
            });
        }

        return vote;
    }
}
