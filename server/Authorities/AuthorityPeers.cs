using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Keys;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Authorities;

/// <summary>Outgoing calls to the other authorities, one channel each, every call with a deadline.</summary>
internal sealed class AuthorityPeers : IDisposable
{
    private readonly Dictionary<AuthorityPeer, (GrpcChannel Channel, AuthorityService.AuthorityServiceClient Client)> _clients = [];
    private readonly DirectorySigningKey _key;
    private readonly TimeProvider _time;
    private readonly TimeSpan _callTimeout;

    public AuthorityPeers(AuthoritySet set, DirectorySigningKey key, TimeProvider time, IOptions<AuthorityOptions> options)
    {
        _key = key;
        _time = time;
        _callTimeout = TimeSpan.FromTicks(Math.Clamp(options.Value.EpochLength.Ticks / 8, TimeSpan.TicksPerSecond * 2, TimeSpan.TicksPerSecond * 30));
        foreach (var peer in set.Peers)
        {
            var channel = GrpcChannel.ForAddress(peer.Address, new GrpcChannelOptions { MaxReceiveMessageSize = options.Value.MaxVoteBytes, MaxSendMessageSize = options.Value.MaxVoteBytes });
            _clients[peer] = (channel, new AuthorityService.AuthorityServiceClient(channel));
        }
    }

    public Task SubmitVoteAsync(AuthorityPeer peer, SignedVote vote, CancellationToken cancellationToken) =>
        _clients[peer].Client.SubmitVoteAsync(new SubmitVoteRequest { Vote = vote }, Options(cancellationToken)).ResponseAsync;

    public async Task<IReadOnlyList<SignedVote>> FetchVotesAsync(AuthorityPeer peer, ulong epoch, CancellationToken cancellationToken)
    {
        var call = AuthorityCalls.Sign(_key, AuthorityCalls.FetchVotesMethod, epoch, _time.GetUtcNow());
        var response = await _clients[peer].Client.FetchVotesAsync(new FetchVotesRequest { Call = call }, Options(cancellationToken));
        return response.Votes;
    }

    public Task SubmitSignatureAsync(AuthorityPeer peer, ulong epoch, AuthoritySignature signature, CancellationToken cancellationToken) =>
        _clients[peer].Client.SubmitSignatureAsync(new SubmitSignatureRequest { Epoch = epoch, Signature = signature }, Options(cancellationToken)).ResponseAsync;

    public Task<FetchSignaturesResponse> FetchSignaturesAsync(AuthorityPeer peer, ulong epoch, CancellationToken cancellationToken)
    {
        var call = AuthorityCalls.Sign(_key, AuthorityCalls.FetchSignaturesMethod, epoch, _time.GetUtcNow());
        return _clients[peer].Client.FetchSignaturesAsync(new FetchSignaturesRequest { Call = call }, Options(cancellationToken)).ResponseAsync;
    }

    public void Dispose()
    {
        foreach (var (channel, _) in _clients.Values)
        {
            channel.Dispose();
        }
    }

    private CallOptions Options(CancellationToken cancellationToken) =>
        new(deadline: DateTime.UtcNow + _callTimeout, cancellationToken: cancellationToken);
}
