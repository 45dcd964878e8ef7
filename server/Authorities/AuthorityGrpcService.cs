using Grpc.Core;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Authorities;

/// <summary>
/// AuthorityService: validates, hands to <see cref="ConsensusAuthority"/>, maps back. Rate, size
/// and concurrency are limited before the request is read, by <see cref="AuthorityCallGate"/>.
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

    // The per-caller rate, the size limit and the exchange slot are taken before the body is read
    // (AuthorityCallGate); here only the refusals of the checks after parsing are mapped.
    private Task<T> Guarded<T>(ServerCallContext context, string operation, Func<T> work)
    {
        try
        {
            return Task.FromResult(work());
        }
        catch (DirectoryException ex)
        {
            AuthorityLog.Refused(logger, operation, context.Peer, ex.Message);
            throw GrpcErrors.From(ex);
        }
    }
}
