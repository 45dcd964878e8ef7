using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Mixnet.Directory.Client;
using Mixnet.Directory.Server.Authorities;
using Mixnet.Directory.Tests.Authorities;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Sdk;

/// <summary>DirectoryClient with three pinned authorities, each a scripted invoker, on a fake clock.</summary>
public sealed class ConsensusDirectoryClientTests
{
    private ConsensusFixture _f = null!;
    private FakeTimeProvider _time = null!;
    private FakeCallInvoker[] _authorities = null!;
    private Channel<TimeSpan> _refreshWaits = null!;

    [SetUp]
    public void SetUp()
    {
        _f = new ConsensusFixture();
        _time = new FakeTimeProvider(ConsensusFixture.Now);
        _authorities = [new FakeCallInvoker(), new FakeCallInvoker(), new FakeCallInvoker()];
        _refreshWaits = Channel.CreateUnbounded<TimeSpan>();
    }

    [TearDown]
    public void TearDown() => _f.Dispose();

    [Test]
    public async Task GetTopologyAsync_DeadAndLyingAuthorities_FailsOverAndStartsFromTheLastThatAnswered()
    {
        Serve(0, _ => throw new RpcException(new Status(StatusCode.Unavailable, "down")));
        Serve(1, _ => Consensus(_f.Epoch, 1));
        Serve(2, _ => Consensus(_f.Epoch, 0, 1, 2));
        await using var client = Client();

        var topology = await client.GetTopologyAsync().Within();
        var again = await client.GetTopologyAsync().Within();

        Assert.That(topology.Version, Is.EqualTo(_f.Epoch));
        Assert.That(topology.Count, Is.EqualTo(_f.Nodes.Length));
        Assert.That(topology.Consensus!.Signers, Is.EqualTo(3));
        Assert.That(topology.Consensus.Threshold, Is.EqualTo(2));
        Assert.That(DirectoryClient.SelectRoute(topology).Mixnodes, Has.Count.EqualTo(3), "SelectRoute works on the consensus unchanged");
        Assert.That(again.Version, Is.EqualTo(_f.Epoch));
        Assert.That(Calls(0), Is.EqualTo(1), "the second fetch starts from the authority that answered");
        Assert.That(Calls(1), Is.EqualTo(1));
        Assert.That(Calls(2), Is.EqualTo(2));
        Assert.That(client.CachedTopology, Is.SameAs(again));
    }

    [Test]
    public async Task GetTopologyAsync_OnlyAnOlderEpochOnOffer_RefusedAndTheNewerOneKept()
    {
        var served = _f.Epoch;
        Serve(0, _ => Consensus(served, 0, 1));
        Serve(1, _ => throw new RpcException(new Status(StatusCode.Unavailable, "down")));
        Serve(2, _ => throw new RpcException(new Status(StatusCode.Unavailable, "down")));
        await using var client = Client();
        Assert.That((await client.GetTopologyAsync().Within()).Version, Is.EqualTo(_f.Epoch));

        served = _f.Epoch - 1;
        var ex = Assert.ThrowsAsync<TopologyVerificationException>(() => client.GetTopologyAsync().Within());

        Assert.That(ex!.Message, Does.Contain("older than the held epoch"));
        Assert.That(client.CachedTopology!.Version, Is.EqualTo(_f.Epoch));
    }

    [Test]
    public async Task BackgroundRefresh_JustBeforeFreshUntil_ThenPollsUntilTheNextEpoch()
    {
        var freshUntil = _f.Clock.FreshUntil(_f.Epoch);
        foreach (var i in new[] { 0, 1, 2 })
        {
            Serve(i, r => _time.GetUtcNow() >= freshUntil ? Consensus(_f.Epoch + 1, 0, 2)
                : r.KnownEpoch == _f.Epoch ? null : Consensus(_f.Epoch, 0, 1, 2));
        }

        await using var client = Client();
        await using var watch = client.WatchTopologyAsync().GetAsyncEnumerator();
        Assert.That(await watch.MoveNextAsync().AsTask().Within(), Is.True);
        Assert.That(watch.Current.Topology.Version, Is.EqualTo(_f.Epoch));

        // random 0.5: half of the last tenth of the epoch before fresh_until.
        var first = await NextRefreshWait();
        Assert.That(first, Is.EqualTo(freshUntil - TimeSpan.FromSeconds(30) - ConsensusFixture.Now));
        _time.Advance(first);

        // Not out yet: poll every eighth of an epoch (x1.0 with random 0.5) until it is.
        var poll = await NextRefreshWait();
        Assert.That(poll, Is.EqualTo(TimeSpan.FromSeconds(75)));
        Assert.That(client.CachedTopology!.Version, Is.EqualTo(_f.Epoch));
        var next = watch.MoveNextAsync().AsTask();
        _time.Advance(poll);

        Assert.That(await next.Within(), Is.True);
        Assert.That(watch.Current.Topology.Version, Is.EqualTo(_f.Epoch + 1));
        Assert.That(watch.Current.Topology.Consensus!.Signers, Is.EqualTo(2), "2 of 3 is enough");
        Assert.That(client.CachedTopology!.Version, Is.EqualTo(_f.Epoch + 1));
        Assert.That(_authorities.Sum(a => a.RequestsOf<GetConsensusRequest>("GetConsensus").Count), Is.EqualTo(3), "one fetch, one early refresh, one poll");
    }

    [TestCase(null, null)]
    [TestCase(2, null)]
    [TestCase(3, null)]
    [TestCase(1, "strict majority")]
    [TestCase(4, "between 2")]
    public void Validate_AuthorityThreshold_AtLeastAStrictMajorityAndAtMostN(int? threshold, string? error)
    {
        var options = Options();
        options.AuthorityThreshold = threshold;

        var result = DirectoryClientOptionsRules.Validate(options, requireAddress: true);

        Assert.That(result, error is null ? Is.Null : Does.Contain(error).And.Contain("AuthorityThreshold"));
        if (error is null)
        {
            Assert.That(DirectoryClientOptionsRules.Threshold(options), Is.EqualTo(threshold ?? 2));
        }
        else
        {
            Assert.That(() => new DirectoryClient(options), Throws.ArgumentException);
        }
    }

    [Test]
    public void Validate_AuthorityKeyTwiceOrNotAKey_RefusedNamingTheEntry()
    {
        var options = Options();
        options.Authorities[2].Key = options.Authorities[0].Key!.ToUpperInvariant();
        Assert.That(DirectoryClientOptionsRules.Validate(options, requireAddress: true), Does.Contain("Authorities[2].Key is configured twice"));

        options.Authorities[2].Key = "abcd";
        Assert.That(DirectoryClientOptionsRules.Validate(options, requireAddress: true), Does.Contain("Authorities[2].Key must be"));

        options.Authorities[2].Key = Convert.ToBase64String(ConsensusFixture.PublicOf(_f.Keys[2]));
        Assert.That(DirectoryClientOptionsRules.Validate(options, requireAddress: true), Is.Null, "base64 is accepted too");
    }

    private DirectoryClientOptions Options()
    {
        var options = new DirectoryClientOptions { ReconnectMinBackoff = TimeSpan.FromSeconds(1) };
        for (var i = 0; i < 3; i++)
        {
            options.Authorities.Add(new DirectoryAuthority(new Uri($"http://authority{i}.invalid:5000"), ConsensusFixture.PublicOf(_f.Keys[i])));
        }

        return options;
    }

    private DirectoryClient Client()
    {
        var options = Options();
        var client = new DirectoryClient(options, new FakeCallInvoker(), address => _authorities[options.Authorities.ToList().FindIndex(a => a.Address == address)], null, _time, () => 0.5);
        client.ConsensusRefreshScheduled += wait => _refreshWaits.Writer.TryWrite(wait);
        return client;
    }

    private async Task<TimeSpan> NextRefreshWait() => await _refreshWaits.Reader.ReadAsync().AsTask().Within();

    private void Serve(int authority, Func<GetConsensusRequest, SignedConsensus?> consensus) =>
        _authorities[authority].OnUnary<GetConsensusRequest, GetConsensusResponse>("GetConsensus", r =>
            consensus(r) is { } c ? new GetConsensusResponse { Consensus = c } : new GetConsensusResponse());

    private int Calls(int authority) => _authorities[authority].RequestsOf<GetConsensusRequest>("GetConsensus").Count;

    private SignedConsensus Consensus(ulong epoch, params int[] signers)
    {
        var votes = Enumerable.Range(0, 3).Select(i => _f.VoteOf(i, _f.Entries, epoch)).ToArray();
        var document = ConsensusCombiner.Combine(epoch, _f.Clock, _f.SortedKeys, votes)!;
        return _f.Signed(Google.Protobuf.MessageExtensions.ToByteArray(document), signers);
    }
}
