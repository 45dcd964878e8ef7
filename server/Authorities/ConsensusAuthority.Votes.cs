using Google.Protobuf;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Authorities;

/// <summary>The votes of each open epoch: this authority's own, and the ones it accepts from its peers.</summary>
internal sealed partial class ConsensusAuthority
{
    /// <summary>Signs this authority's vote for <paramref name="epoch"/> from the live view and holds it.</summary>
    public SignedVote MakeOwnVote(ulong epoch)
    {
        var nodes = _membership.State.Nodes.Values
            .Where(r => r.SignedDescriptor is not null && r.NodeSignature is not null)
            .Select(r =>
            {
                var id = new byte[DirectorySignatures.PublicKeySize];
                r.Id.CopyTo(id);
                // The figures go out only once published: the same ones clients see from this directory.
                return (id, r.SignedDescriptor!, r.NodeSignature!, _quality?.Find(r.Id)?.ToMessage());
            });
        var vote = VoteBuilder.BuildWithQuality(epoch, _key.PublicKey, _time.GetUtcNow(), nodes);
        var bytes = vote.ToByteArray();
        var signed = new SignedVote
        {
            Vote = UnsafeByteOperations.UnsafeWrap(bytes),
            Signature = UnsafeByteOperations.UnsafeWrap(_key.Sign(SignatureDomain.Vote, bytes)),
        };
        lock (_gate)
        {
            SlotsFor(epoch)[IndexOf(_key.PublicKey)] = signed;
        }

        return signed;
    }

    /// <summary>
    /// Holds a vote of a configured authority for the epoch being voted (or the next one, when the
    /// sender's clock is a little ahead), until that epoch's votes close. Returns whether it was new.
    /// </summary>
    public bool AcceptVote(SignedVote? signed)
    {
        var now = _time.GetUtcNow();
        var epoch = Clock.EpochAt(now);
        var ahead = Clock.StartOf(epoch + 1) - now <= ClockSkew ? epoch + 1 : epoch;
        Vote vote;
        try
        {
            vote = VoteValidator.Validate(signed, _set.SortedKeys, epoch, _maxNodes);
        }
        catch (DirectoryException ex) when (ahead != epoch && ex.Field == "vote.epoch")
        {
            vote = VoteValidator.Validate(signed, _set.SortedKeys, ahead, _maxNodes);
        }

        lock (_gate)
        {
            if (_closed.Contains(vote.Epoch))
            {
                throw new DirectoryException(DirectoryErrorKind.FailedPrecondition, "vote.epoch", $"votes for epoch {vote.Epoch} are closed");
            }

            var slots = SlotsFor(vote.Epoch);
            var index = IndexOf(vote.AuthorityKey.Span);
            if (slots[index] is { } held)
            {
                // An authority that sends two different votes for one epoch is faulty; the first stays.
                return held.Vote.Equals(signed!.Vote)
                    ? false
                    : throw new DirectoryException(DirectoryErrorKind.FailedPrecondition, "vote", $"a different vote of this authority for epoch {vote.Epoch} is already held");
            }

            slots[index] = signed!;
            return true;
        }
    }

    public IReadOnlyList<SignedVote> VotesFor(ulong epoch)
    {
        lock (_gate)
        {
            return _votes.TryGetValue(epoch, out var slots) ? slots.OfType<SignedVote>().ToArray() : [];
        }
    }

    /// <summary>Which configured authorities' votes are missing for the epoch.</summary>
    public int MissingVotes(ulong epoch)
    {
        lock (_gate)
        {
            return _votes.TryGetValue(epoch, out var slots) ? slots.Count(v => v is null) : _set.Count;
        }
    }

    private SignedVote?[] SlotsFor(ulong epoch)
    {
        if (!_votes.TryGetValue(epoch, out var slots))
        {
            slots = new SignedVote?[_set.Count];
            _votes[epoch] = slots;
        }

        return slots;
    }
}
