using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Mixnet.Directory.Server.Authorities;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Mixnet.Directory.V1;
using NSec.Cryptography;

namespace Mixnet.Directory.Tests.Authorities;

/// <summary>
/// AuthorityService is reachable by anyone who reaches the gRPC port: its rate, its size limit
/// for callers that are not at an authority's address, and its exchange slots apply before the
/// request body is read.
/// </summary>
[TestFixture]
public sealed class AuthorityCallGateTests
{
    private static readonly TimeSpan EpochLength = TimeSpan.FromMinutes(10);

    [Test]
    public async Task A_caller_not_at_an_authority_address_may_not_send_a_large_message_but_may_fetch()
    {
        using var self = AuthorityHostKeys.NewKey();
        using var peer = AuthorityHostKeys.NewKey();
        // The authorities live at documentation addresses, so this test (on 127.0.0.1) is a stranger.
        var settings = AuthorityHostKeys.Settings((self, "http://192.0.2.10:5000"), (peer, "http://192.0.2.11:5000"));
        settings["Directory:EpochLength"] = EpochLength.ToString();
        // Frozen just after an epoch starts, so its votes stay open whatever the wall clock says.
        var time = EarlyInAnEpoch();
        await using var host = await DirectoryServerHost.StartAsync(settings, time, dataPath: AuthorityHostKeys.DataPathWith(self));
        var client = new AuthorityService.AuthorityServiceClient(host.Channel);
        var authority = host.Services.GetRequiredService<ConsensusAuthority>();
        var epoch = authority.Clock.EpochAt(time.GetUtcNow());

        // A correctly signed vote of the peer, padded past the 4 KB limit with an unknown field.
        var big = SignedVote(peer, epoch, time.GetUtcNow(), padding: 8 * 1024);
        var error = Assert.ThrowsAsync<RpcException>(async () => await client.SubmitVoteAsync(new SubmitVoteRequest { Vote = big }).ResponseAsync.Within());

        Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
        Assert.That(error.Status.Detail, Does.Contain("4096 bytes").And.Contain("Directory:AuthorityNetworks"));
        Assert.That(authority.VotesFor(epoch).Select(v => Vote.Parser.ParseFrom(v.Vote).AuthorityKey), Does.Not.Contain(ByteString.CopyFrom(AuthorityCluster.PublicOf(peer))), "nothing was stored");

        // Small signed calls still work from anywhere: the signature, not the address, authenticates.
        var small = await client.SubmitVoteAsync(new SubmitVoteRequest { Vote = SignedVote(peer, epoch, time.GetUtcNow()) }).ResponseAsync.Within();
        Assert.That(small.Stored, Is.True);
        var fetched = await client.FetchVotesAsync(new FetchVotesRequest { Call = Call(peer, AuthorityCalls.FetchVotesMethod, epoch, time.GetUtcNow()) }).ResponseAsync.Within();
        Assert.That(fetched.Votes.Select(v => Vote.Parser.ParseFrom(v.Vote).AuthorityKey), Does.Contain(ByteString.CopyFrom(AuthorityCluster.PublicOf(peer))));
        host.DeleteData();
    }

    [Test]
    public async Task Calls_over_the_per_address_rate_are_refused_before_reading_and_change_nothing()
    {
        using var self = AuthorityHostKeys.NewKey();
        using var peer = AuthorityHostKeys.NewKey();
        // Loopback is an authority's address here, so large messages pass the size gate.
        var settings = AuthorityHostKeys.Settings((self, "http://127.0.0.1:1"), (peer, "http://127.0.0.1:2"));
        settings["Directory:EpochLength"] = EpochLength.ToString();
        settings["Directory:RateLimits:AuthorityCallBurstPerIp"] = "3";
        settings["Directory:RateLimits:AuthorityCallsPerSecondPerIp"] = "1";
        // Frozen just after an epoch starts, so its votes stay open whatever the wall clock says.
        var time = EarlyInAnEpoch();
        await using var host = await DirectoryServerHost.StartAsync(settings, time, dataPath: AuthorityHostKeys.DataPathWith(self));
        var client = new AuthorityService.AuthorityServiceClient(host.Channel);
        var authority = host.Services.GetRequiredService<ConsensusAuthority>();
        var epoch = authority.Clock.EpochAt(time.GetUtcNow());

        // From an authority's address a message over the 4 KB stranger limit reaches the handler,
        // which refuses it for what it is (garbage), not for its size.
        var junk = new SignedVote { Vote = ByteString.CopyFrom(new byte[16 * 1024]), Signature = ByteString.CopyFrom(new byte[64]) };
        var parsed = Assert.ThrowsAsync<RpcException>(async () => await client.SubmitVoteAsync(new SubmitVoteRequest { Vote = junk }).ResponseAsync.Within());
        Assert.That(parsed!.StatusCode, Is.Not.EqualTo(StatusCode.ResourceExhausted));

        RpcException? throttled = null;
        for (var i = 0; i < 50 && throttled is null; i++)
        {
            try
            {
                await client.FetchVotesAsync(new FetchVotesRequest { Call = Call(peer, AuthorityCalls.FetchVotesMethod, epoch, time.GetUtcNow()) }).ResponseAsync.Within();
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
            {
                throttled = ex;
            }
        }

        Assert.That(throttled, Is.Not.Null, "the bucket of 3 ran dry");
        Assert.That(throttled!.Status.Detail, Does.Contain("too many AuthorityService calls"));
        Assert.That(int.Parse(throttled.Trailers.GetValue("retry-after")!, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(1));

        // The next call, a valid vote, is refused the same way and is not held.
        var refused = Assert.ThrowsAsync<RpcException>(async () => await client.SubmitVoteAsync(new SubmitVoteRequest { Vote = SignedVote(peer, epoch, time.GetUtcNow()) }).ResponseAsync.Within());
        Assert.That(refused!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
        Assert.That(authority.VotesFor(epoch).Select(v => Vote.Parser.ParseFrom(v.Vote).AuthorityKey), Does.Not.Contain(ByteString.CopyFrom(AuthorityCluster.PublicOf(peer))));
        host.DeleteData();
    }

    private static FakeTimeProvider EarlyInAnEpoch()
    {
        var clock = new EpochClock(EpochLength);
        return new FakeTimeProvider(clock.StartOf(clock.EpochAt(DateTimeOffset.UtcNow)) + TimeSpan.FromSeconds(1));
    }

    private static SignedVote SignedVote(Key key, ulong epoch, DateTimeOffset now, int padding = 0)
    {
        var vote = VoteBuilder.Build(epoch, AuthorityCluster.PublicOf(key), now, []);
        var bytes = vote.ToByteArray();
        if (padding > 0)
        {
            // Field 1000, length-delimited: parsers keep it as an unknown field.
            using var stream = new MemoryStream();
            stream.Write(bytes);
            using var output = new CodedOutputStream(stream, leaveOpen: true);
            output.WriteTag(1000, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(new byte[padding]));
            output.Flush();
            bytes = stream.ToArray();
        }

        return new SignedVote { Vote = ByteString.CopyFrom(bytes), Signature = ByteString.CopyFrom(DirectorySignatures.Sign(key, SignatureDomain.Vote, bytes)) };
    }

    private static SignedAuthorityCall Call(Key key, string method, ulong epoch, DateTimeOffset now)
    {
        var bytes = new AuthorityCall
        {
            Method = method,
            Epoch = epoch,
            SignedAt = Timestamp.FromDateTimeOffset(now),
            AuthorityKey = ByteString.CopyFrom(AuthorityCluster.PublicOf(key)),
        }.ToByteArray();
        return new SignedAuthorityCall { Call = ByteString.CopyFrom(bytes), Signature = ByteString.CopyFrom(DirectorySignatures.Sign(key, SignatureDomain.AuthorityCall, bytes)) };
    }
}
