using Grpc.Core;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Authorities;

/// <summary>
/// AuthorityService: validates, hands to <see cref="ConsensusAuthority"/>, maps back. At most a
/// few calls are worked on at once, so large votes cannot make the server buffer without bound.
/// </summary>
internal sealed class AuthorityGrpcService(ConsensusAuthority authority, TimeProvider time, ILogger<AuthorityGrpcService> logger) : AuthorityService.AuthorityServiceBase
{
    public override Task<SubmitVoteResponse> SubmitVote(SubmitVoteRequest request, ServerCallContext context) =>
        Guarded(context, "SubmitVote", () => new SubmitVoteResponse { Stored = authority.AcceptVote(request.Vote) });

    public override Task<FetchVotesResponse> FetchVotes(FetchVotesRequest request, ServerCallContext context) =>
        Guarded(context, "FetchVotes", () =>
        {
            var call = AuthorityCalls.Verify(request.Call, AuthorityCalls.FetchVotesMethod, authority.Set, time.GetUtcNow(), authority.ClockSkew);
            var response = new FetchVotesResponse();
            response.Votes.AddRange(authority.VotesFor(call.Epoch));
            return response;
        });

    public override Task<SubmitSignatureResponse> SubmitSignature(SubmitSignatureRequest request, ServerCallContext context) =>
        Guarded(context, "SubmitSignature", () => new SubmitSignatureResponse { Stored = authority.AcceptSignature(request.Epoch, request.Signature) });

    public override Task<FetchSignaturesResponse> FetchSignatures(FetchSignaturesRequest request, ServerCallContext context) =>
        Guarded(context, "FetchSignatures", () =>
        {
            var call = AuthorityCalls.Verify(request.Call, AuthorityCalls.FetchSignaturesMethod, authority.Set, time.GetUtcNow(), authority.ClockSkew);
            var (document, signatures) = authority.SignaturesFor(call.Epoch);
            var response = new FetchSignaturesResponse();
            if (document is not null)
            {
                response.Document = Google.Protobuf.UnsafeByteOperations.UnsafeWrap(document);
                response.Signatures.AddRange(signatures);
            }

            return response;
        });

    private async Task<T> Guarded<T>(ServerCallContext context, string operation, Func<T> work)
    {
        if (!await authority.Exchanges.WaitAsync(TimeSpan.FromSeconds(5), context.CancellationToken))
        {
            throw GrpcErrors.ResourceExhausted(string.Empty, "the authority is busy with other exchanges", TimeSpan.FromSeconds(1));
        }

        try
        {
            return work();
        }
        catch (DirectoryException ex)
        {
            AuthorityLog.Refused(logger, operation, context.Peer, ex.Message);
            throw GrpcErrors.From(ex);
        }
        finally
        {
            authority.Exchanges.Release();
        }
    }
}
