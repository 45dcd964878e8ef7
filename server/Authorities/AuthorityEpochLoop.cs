using Google.Protobuf;
using Grpc.Core;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Authorities;

/// <summary>
/// The epoch loop of one authority (Tor dir-spec §1.4, Katzenpost voting PKI): at the start of
/// an epoch vote and send the vote to every peer; at the vote deadline fetch the votes still
/// missing from the peers (which forwards votes a partition kept apart), close the votes, compute
/// and sign the document, send the signature; at the signature deadline fetch the peers'
/// signatures and publish only with the threshold met. An authority that (re)starts too late to
/// vote still computes from the peers' votes, or adopts a peer's consensus after the same checks a
/// client makes, so a restart does not leave it dead for the epoch. The previous consensus is
/// served until its valid_until.
/// </summary>
internal sealed class AuthorityEpochLoop(
    ConsensusAuthority authority,
    AuthorityPeers peers,
    AuthorityInstruments instruments,
    TimeProvider time,
    ILogger<AuthorityEpochLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var set = authority.Set;
        AuthorityLog.Started(logger, set.Self.Name, set.Count, set.Threshold, authority.Clock.Length);
        var clock = authority.Clock;
        try
        {
            await AdoptFromPeersAsync(clock.EpochAt(time.GetUtcNow()), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var epoch = clock.EpochAt(time.GetUtcNow());
            try
            {
                await RunEpochAsync(epoch, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // One bad epoch must not stop the authority; the next one starts afresh.
                AuthorityLog.StepFailed(logger, epoch, ex);
                instruments.Failed(epoch, $"the epoch step failed ({ex.GetType().Name})", time.GetUtcNow());
            }

            await DelayUntilAsync(clock.StartOf(epoch + 1), stoppingToken);
        }
    }

    private async Task RunEpochAsync(ulong epoch, CancellationToken cancellationToken)
    {
        var clock = authority.Clock;
        var now = time.GetUtcNow();
        if (now >= clock.SignatureDeadline(epoch))
        {
            // Too late for this epoch: serve what the others agreed, if anything, and wait.
            await AdoptFromPeersAsync(epoch, cancellationToken);
            return;
        }

        if (now < clock.VoteDeadline(epoch))
        {
            var vote = authority.MakeOwnVote(epoch);
            await ForEachPeerAsync("SubmitVote", (peer, ct) => peers.SubmitVoteAsync(peer, vote, ct), cancellationToken);
            await DelayUntilAsync(clock.VoteDeadline(epoch), cancellationToken);
        }

        if (authority.MissingVotes(epoch) > 0)
        {
            await ForEachPeerAsync("FetchVotes", async (peer, ct) =>
            {
                foreach (var vote in await peers.FetchVotesAsync(peer, epoch, ct))
                {
                    try
                    {
                        authority.AcceptVote(vote);
                    }
                    catch (DirectoryException ex)
                    {
                        AuthorityLog.PeerFailed(logger, peer.Name, "forwarded vote", ex.Message);
                    }
                }
            }, cancellationToken);
        }

        var document = authority.CloseAndCompute(epoch);
        if (document is null)
        {
            var reason = $"fewer than {authority.Set.Threshold} votes arrived";
            AuthorityLog.NoConsensus(logger, epoch, reason);
            instruments.Failed(epoch, reason, time.GetUtcNow());
            return;
        }

        var (_, signatures) = authority.SignaturesFor(epoch);
        var own = signatures.Single(s => s.AuthorityKey.Span.SequenceEqual(authority.Set.Self.Key));
        await ForEachPeerAsync("SubmitSignature", (peer, ct) => peers.SubmitSignatureAsync(peer, epoch, own, ct), cancellationToken);
        await DelayUntilAsync(clock.SignatureDeadline(epoch), cancellationToken);
        await CollectSignaturesAsync(epoch, document, cancellationToken);
    }

    private async Task CollectSignaturesAsync(ulong epoch, byte[] document, CancellationToken cancellationToken)
    {
        var others = new List<(AuthorityPeer Peer, FetchSignaturesResponse Response)>();
        await ForEachPeerAsync("FetchSignatures", async (peer, ct) =>
        {
            var response = await peers.FetchSignaturesAsync(peer, epoch, ct);
            lock (others)
            {
                others.Add((peer, response));
            }
        }, cancellationToken);

        foreach (var (peer, response) in others)
        {
            if (!response.Document.Span.SequenceEqual(document))
            {
                continue;
            }

            foreach (var signature in response.Signatures)
            {
                try
                {
                    authority.AcceptSignature(epoch, signature);
                }
                catch (DirectoryException ex)
                {
                    AuthorityLog.PeerFailed(logger, peer.Name, "relayed signature", ex.Message);
                }
            }
        }

        if (authority.TryPublish())
        {
            var (_, held) = authority.SignaturesFor(epoch);
            var nodes = ConsensusDocument.Parser.ParseFrom(document).Nodes.Count;
            AuthorityLog.Published(logger, epoch, nodes, held.Length);
            instruments.Published();
            return;
        }

        // Our document fell short; a peer's may have made it (our vote set differed from theirs).
        foreach (var (peer, response) in others)
        {
            if (TryAdopt(peer, response, epoch))
            {
                return;
            }
        }

        var shortOf = $"fewer than {authority.Set.Threshold} authorities signed the same document";
        AuthorityLog.NoConsensus(logger, epoch, shortOf);
        instruments.Failed(epoch, shortOf, time.GetUtcNow());
    }

    private async Task AdoptFromPeersAsync(ulong epoch, CancellationToken cancellationToken)
    {
        var done = 0;
        await ForEachPeerAsync("FetchSignatures", async (peer, ct) =>
        {
            var response = await peers.FetchSignaturesAsync(peer, epoch, ct);
            if (Volatile.Read(ref done) == 0 && TryAdopt(peer, response, epoch))
            {
                Interlocked.Exchange(ref done, 1);
            }
        }, cancellationToken);
    }

    private bool TryAdopt(AuthorityPeer peer, FetchSignaturesResponse response, ulong epoch)
    {
        if (response.Document.IsEmpty || authority.CurrentEpoch >= epoch)
        {
            return false;
        }

        var candidate = new SignedConsensus { Document = response.Document };
        candidate.Signatures.AddRange(response.Signatures);
        if (!authority.TryAdopt(candidate, out _))
        {
            return false;
        }

        AuthorityLog.Adopted(logger, epoch, peer.Name);
        return true;
    }

    private async Task ForEachPeerAsync(string operation, Func<AuthorityPeer, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        await Task.WhenAll(authority.Set.Peers.Select(async peer =>
        {
            try
            {
                await call(peer, cancellationToken);
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // A peer that is down or refuses costs this epoch its part, nothing more.
                AuthorityLog.PeerFailed(logger, peer.Name, operation, $"{ex.StatusCode}: {ex.Status.Detail}");
                instruments.PeerFailure(operation);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled)
            {
                // Shutting down: the call was cancelled with the loop; stop as a cancellation, not a crash.
                throw new OperationCanceledException(cancellationToken);
            }
            catch (InvalidProtocolBufferException ex)
            {
                AuthorityLog.PeerFailed(logger, peer.Name, operation, ex.Message);
                instruments.PeerFailure(operation);
            }
        }));
    }

    private Task DelayUntilAsync(DateTimeOffset when, CancellationToken cancellationToken)
    {
        var delay = when - time.GetUtcNow();
        return delay > TimeSpan.Zero ? Task.Delay(delay, time, cancellationToken) : Task.CompletedTask;
    }
}
