using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mixnet.Directory.Server.Authorities;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;
using NSec.Cryptography;

namespace Mixnet.Directory.Tests.Authorities;

/// <summary>AuthorityService refuses every request not authenticated by a configured authority key.</summary>
[TestFixture]
public sealed class AuthorityServiceRefusalTests
{
    private Key _self = null!;
    private Key _stranger = null!;
    private DirectoryServerHost _host = null!;
    private AuthorityService.AuthorityServiceClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _self = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        _stranger = Key.Create(SignatureAlgorithm.Ed25519);
        var dataPath = Path.Combine(Path.GetTempPath(), "mixdir-auth-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dataPath);
        await File.WriteAllBytesAsync(Path.Combine(dataPath, "directory.key"), _self.Export(KeyBlobFormat.PkixPrivateKeyText));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(dataPath, "directory.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        _host = await DirectoryServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Directory:EpochLength"] = "00:10:00",
            ["Directory:Authorities:0:Name"] = "self",
            ["Directory:Authorities:0:Key"] = KeyFingerprint.Hex(ConsensusFixture.PublicOf(_self)),
            ["Directory:Authorities:0:Address"] = "http://127.0.0.1:1",
        }, dataPath: dataPath);
        _client = new AuthorityService.AuthorityServiceClient(_host.Channel);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        _host.DeleteData();
        _self.Dispose();
        _stranger.Dispose();
    }

    [Test]
    public void A_vote_signed_by_an_unconfigured_key_is_refused()
    {
        var vote = SignedVote(_stranger, CurrentEpoch());

        var error = Assert.ThrowsAsync<RpcException>(async () => await _client.SubmitVoteAsync(new SubmitVoteRequest { Vote = vote }));

        Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
    }

    [Test]
    public void A_vote_for_another_epoch_is_refused()
    {
        var vote = SignedVote(_self, CurrentEpoch() + 5);

        var error = Assert.ThrowsAsync<RpcException>(async () => await _client.SubmitVoteAsync(new SubmitVoteRequest { Vote = vote }));

        Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition));
    }

    [Test]
    public void A_fetch_signed_by_an_unconfigured_key_or_for_another_method_is_refused()
    {
        var stranger = Call(_stranger, "/mixnet.directory.v1.AuthorityService/FetchVotes");
        var wrongMethod = Call(_self, "/mixnet.directory.v1.AuthorityService/FetchSignatures");

        var unknown = Assert.ThrowsAsync<RpcException>(async () => await _client.FetchVotesAsync(new FetchVotesRequest { Call = stranger }));
        var crossed = Assert.ThrowsAsync<RpcException>(async () => await _client.FetchVotesAsync(new FetchVotesRequest { Call = wrongMethod }));
        var missing = Assert.ThrowsAsync<RpcException>(async () => await _client.FetchSignaturesAsync(new FetchSignaturesRequest()));

        Assert.That(unknown!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
        Assert.That(crossed!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(missing!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
    }

    [Test]
    public async Task A_properly_signed_fetch_is_answered()
    {
        var response = await _client.FetchVotesAsync(new FetchVotesRequest { Call = Call(_self, "/mixnet.directory.v1.AuthorityService/FetchVotes") });

        Assert.That(response.Votes, Has.Count.LessThanOrEqualTo(1), "at most this authority's own vote");
    }

    [Test]
    public void A_signature_by_an_unconfigured_key_is_refused()
    {
        var signature = ConsensusFixture.SignatureOf(_stranger, [1, 2, 3]);

        var error = Assert.ThrowsAsync<RpcException>(async () => await _client.SubmitSignatureAsync(new SubmitSignatureRequest { Epoch = CurrentEpoch(), Signature = signature }));

        Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
    }

    private static ulong CurrentEpoch() => new EpochClock(TimeSpan.FromMinutes(10)).EpochAt(DateTimeOffset.UtcNow);

    private static SignedVote SignedVote(Key key, ulong epoch)
    {
        var bytes = VoteBuilder.Build(epoch, ConsensusFixture.PublicOf(key), DateTimeOffset.UtcNow, []).ToByteArray();
        return new SignedVote { Vote = ByteString.CopyFrom(bytes), Signature = ByteString.CopyFrom(DirectorySignatures.Sign(key, SignatureDomain.Vote, bytes)) };
    }

    private static SignedAuthorityCall Call(Key key, string method)
    {
        var bytes = new AuthorityCall
        {
            Method = method,
            Epoch = CurrentEpoch(),
            SignedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            AuthorityKey = ByteString.CopyFrom(ConsensusFixture.PublicOf(key)),
        }.ToByteArray();
        return new SignedAuthorityCall { Call = ByteString.CopyFrom(bytes), Signature = ByteString.CopyFrom(DirectorySignatures.Sign(key, SignatureDomain.AuthorityCall, bytes)) };
    }
}
