using System.Threading.Channels;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Mixnet.Directory.Client;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Sdk;

public sealed class NodeAgentTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private FakeTimeProvider _time = null!;
    private FakeCallInvoker _directory = null!;
    private NodeIdentity _identity = null!;
    private FakeLoggerProvider _logs = null!;
    private ILoggerFactory _loggerFactory = null!;
    private Channel<TimeSpan> _waits = null!;
    private Channel<TimeSpan> _metricsWaits = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(SdkTestData.Epoch);
        _directory = new FakeCallInvoker();
        _identity = NodeIdentity.Generate();
        _logs = new FakeLoggerProvider();
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        _waits = Channel.CreateUnbounded<TimeSpan>();
        _metricsWaits = Channel.CreateUnbounded<TimeSpan>();
        _directory.OnUnary<RegisterNodeRequest, RegisterNodeResponse>("RegisterNode", _ => Registered());
        _directory.OnUnary<HeartbeatRequest, HeartbeatResponse>("Heartbeat", _ => new HeartbeatResponse { Ttl = Duration.FromTimeSpan(Interval * 4), TopologyVersion = 42 });
        _directory.OnUnary<DeregisterNodeRequest, DeregisterNodeResponse>("DeregisterNode", _ => new DeregisterNodeResponse());
        _directory.OnUnary<ReportMetricsRequest, ReportMetricsResponse>("ReportMetrics", _ => new ReportMetricsResponse());
    }

    [TearDown]
    public void TearDown()
    {
        _identity.Dispose();
        _loggerFactory.Dispose();
        _logs.Dispose();
    }

    [Test]
    public void Constructor_InvalidDescriptorOptions_ThrowsNamingTheField()
    {
        var options = Options();
        options.ClientPort = 9000; // a mixnode has no client port
        var ex = Assert.Throws<ArgumentException>(() => _ = new NodeAgent(_identity, options, _directory, null, _time, null));
        Assert.That(ex!.Message, Does.Contain("client_port"));
    }

    [Test]
    public async Task Heartbeat_NotFound_RegistersAgainAtOnceWithNewerSignedAt()
    {
        var heartbeats = 0;
        _directory.OnUnary<HeartbeatRequest, HeartbeatResponse>("Heartbeat", _ =>
            Interlocked.Increment(ref heartbeats) == 1 ? throw new RpcException(new Status(StatusCode.NotFound, "expired")) : new HeartbeatResponse());
        await using var agent = Start(random: () => 0.5);
        await agent.WaitUntilRegisteredAsync().WaitAsync(Timeout);

        Assert.That(await NextWait(), Is.EqualTo(Interval), "heartbeat at the server's interval (jitter sample 0.5 = no jitter)");
        _time.Advance(Interval);
        Assert.That(await NextWait(), Is.EqualTo(TimeSpan.Zero), "NOT_FOUND: register again without waiting");
        Assert.That(await NextWait(), Is.EqualTo(Interval));

        Assert.That(agent.RegistrationCount, Is.EqualTo(2));
        Assert.That(agent.State, Is.EqualTo(NodeAgentState.Registered));
        var signedAt = _directory.RequestsOf<RegisterNodeRequest>("RegisterNode")
            .Select(r => NodeDescriptor.Parser.ParseFrom(r.Descriptor_).SignedAt.ToDateTimeOffset()).ToList();
        Assert.That(signedAt[1], Is.GreaterThan(signedAt[0]), "a re-registration is never a replay, even at the same clock reading");
    }

    [Test]
    public async Task Heartbeat_Jitter_StaysWithinTenPercent()
    {
        await using var agent = Start(random: () => 0.0);
        Assert.That(await NextWait(), Is.EqualTo(Interval * 0.9));
    }

    [Test]
    public async Task Register_DirectoryDown_BacksOffGrowingCappedAndWarnsOnce()
    {
        var attempts = 0;
        _directory.OnUnary<RegisterNodeRequest, RegisterNodeResponse>("RegisterNode", _ =>
            Interlocked.Increment(ref attempts) <= 8 ? throw new RpcException(new Status(StatusCode.Unavailable, "connection refused")) : Registered());
        await using var agent = Start(random: () => 0.999);

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            waits.Add(await NextWait());
            Assert.That(agent.State, Is.EqualTo(NodeAgentState.Reconnecting));
            _time.Advance(waits[^1]);
        }

        await agent.WaitUntilRegisteredAsync().WaitAsync(Timeout);
        Assert.That(waits, Is.Ordered);
        Assert.That(waits[0], Is.LessThan(TimeSpan.FromSeconds(0.5)).And.GreaterThan(TimeSpan.FromSeconds(0.4)));
        Assert.That(waits[^1], Is.LessThanOrEqualTo(TimeSpan.FromSeconds(30)).And.GreaterThan(TimeSpan.FromSeconds(29)));
        var records = _logs.Collector.GetSnapshot();
        Assert.That(records.Count(r => r.Level == LogLevel.Warning), Is.EqualTo(1), "first failure at Warning only");
        Assert.That(records.Count(r => r.Id.Id == 2003 && r.Level == LogLevel.Debug), Is.EqualTo(7));
        Assert.That(records.Any(r => r.Id.Id == 2004 && r.Level == LogLevel.Information), Is.True, "recovery logged");
    }

    [TestCase(StatusCode.InvalidArgument)]
    [TestCase(StatusCode.PermissionDenied)]
    public async Task Register_Refused_FailsForGoodWithoutRetrying(StatusCode code)
    {
        _directory.OnUnary<RegisterNodeRequest, RegisterNodeResponse>("RegisterNode", _ => throw new RpcException(new Status(code, "no")));
        await using var agent = Start(random: () => 0.5);

        Assert.ThrowsAsync<InvalidOperationException>(() => agent.WaitUntilRegisteredAsync().WaitAsync(Timeout));
        Assert.ThrowsAsync<InvalidOperationException>(() => agent.Completion.WaitAsync(Timeout));
        Assert.That(agent.State, Is.EqualTo(NodeAgentState.Failed));
        Assert.That(agent.Fault!.Message, Does.Contain(code.ToString()));
        Assert.That(_directory.RequestsOf<RegisterNodeRequest>("RegisterNode"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Register_ClockSkew_LogsErrorAndKeepsTrying()
    {
        var attempts = 0;
        _directory.OnUnary<RegisterNodeRequest, RegisterNodeResponse>("RegisterNode", _ =>
            Interlocked.Increment(ref attempts) == 1 ? throw new RpcException(new Status(StatusCode.FailedPrecondition, "clock skew")) : Registered());
        await using var agent = Start(random: () => 0.5);

        _time.Advance(await NextWait());
        await agent.WaitUntilRegisteredAsync().WaitAsync(Timeout);
        Assert.That(_logs.Collector.GetSnapshot().Count(r => r.Level == LogLevel.Error), Is.EqualTo(1));
    }

    [Test]
    public async Task StopAsync_Registered_DeregistersWithTheLeaseToken()
    {
        var agent = Start(random: () => 0.5);
        await agent.WaitUntilRegisteredAsync().WaitAsync(Timeout);

        await agent.StopAsync().WaitAsync(Timeout);

        var deregister = _directory.RequestsOf<DeregisterNodeRequest>("DeregisterNode").Single();
        Assert.That(deregister.LeaseToken.ToByteArray(), Is.EqualTo(Token));
        Assert.That(deregister.IdentityKey.ToByteArray(), Is.EqualTo(_identity.IdentityKey.ToArray()));
        Assert.That(agent.State, Is.EqualTo(NodeAgentState.Stopped));
        Assert.That(agent.Lease, Is.Null);
        await agent.DisposeAsync();
    }

    [Test]
    public async Task ReportMetrics_FailedReport_CountsGoWithTheNextReport()
    {
        var reports = 0;
        _directory.OnUnary<ReportMetricsRequest, ReportMetricsResponse>("ReportMetrics", _ =>
            Interlocked.Increment(ref reports) == 1
                ? throw new RpcException(new Status(StatusCode.Unavailable, "down"))
                : new ReportMetricsResponse { NextReportIn = Duration.FromTimeSpan(TimeSpan.FromSeconds(12)) });
        await using var agent = Start(random: () => 0.5);
        await agent.WaitUntilRegisteredAsync().WaitAsync(Timeout);
        agent.RecordSent("10.0.0.1:1789");
        agent.RecordSent("10.0.0.1:1789");
        agent.RecordReceived();

        Assert.That(await agent.ReportMetricsOnceAsync(CancellationToken.None), Is.EqualTo(TimeSpan.FromSeconds(1)), "a failed report keeps the pace (one metrics window before any answer)");
        agent.RecordSent("10.0.0.1:1789");
        agent.RecordSent("10.0.0.2:1789");
        var next = await agent.ReportMetricsOnceAsync(CancellationToken.None);

        var sent = _directory.RequestsOf<ReportMetricsRequest>("ReportMetrics")[1];
        Assert.That(sent.Sent["10.0.0.1:1789"], Is.EqualTo(3));
        Assert.That(sent.Sent["10.0.0.2:1789"], Is.EqualTo(1));
        Assert.That(sent.Received, Is.EqualTo(1));
        Assert.That(sent.LeaseToken.ToByteArray(), Is.EqualTo(Token));
        Assert.That(next, Is.EqualTo(TimeSpan.FromSeconds(12)), "the server sets the pace");
        Assert.That(agent.Counters.Take().IsEmpty, Is.True);
    }

    [Test]
    public async Task ReportMetrics_Unimplemented_TurnsReportingOffQuietly()
    {
        _directory.OnUnary<ReportMetricsRequest, ReportMetricsResponse>("ReportMetrics", _ =>
            throw new RpcException(new Status(StatusCode.Unimplemented, "no metrics")));
        await using var agent = Start(random: () => 0.5);
        await agent.WaitUntilRegisteredAsync().WaitAsync(Timeout);

        await agent.ReportMetricsOnceAsync(CancellationToken.None);

        Assert.That(agent.MetricsEnabled, Is.False);
        Assert.That(agent.State, Is.EqualTo(NodeAgentState.Registered));
        Assert.That(_logs.Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Warning), Is.Empty);
    }

    [Test]
    public async Task ReportMetrics_MoreNextHopsThanOneRequestMayName_SplitIntoRequestsThatAddUp()
    {
        await using var agent = Start(random: () => 0.5);
        await agent.WaitUntilRegisteredAsync().WaitAsync(Timeout);
        const int hops = 2_500;
        for (var i = 0; i < hops; i++)
        {
            agent.RecordSent($"10.{i / 250}.{i % 250}.1:1789");
        }

        agent.RecordSent("10.0.0.1:1789");
        agent.RecordSent("10.0.0.1:1789");
        for (var i = 0; i < 7; i++)
        {
            agent.RecordReceived();
        }

        await agent.ReportMetricsOnceAsync(CancellationToken.None);

        var requests = _directory.RequestsOf<ReportMetricsRequest>("ReportMetrics");
        Assert.That(requests, Has.Count.EqualTo(3));
        Assert.That(requests.Select(r => r.Sent.Count), Has.All.LessThanOrEqualTo(Mixnet.Directory.Validation.MetricsReportLimits.MaxNextHops));
        Assert.That(requests.SelectMany(r => r.Sent.Keys).Distinct().Count(), Is.EqualTo(hops), "every hop once, in one of the requests");
        Assert.That(requests.Sum(r => r.Sent.Values.Sum(v => (long)v)), Is.EqualTo(hops + 2), "every packet counted once");
        Assert.That(requests.Select(r => r.Received), Is.EqualTo(new ulong[] { 7, 0, 0 }), "received counted once");
        Assert.That(agent.Counters.Take().IsEmpty, Is.True);
    }

    [Test]
    public async Task ReportMetrics_SecondPartFails_OnlyTheUnsentPartsAreKept()
    {
        var reports = 0;
        _directory.OnUnary<ReportMetricsRequest, ReportMetricsResponse>("ReportMetrics", _ =>
            Interlocked.Increment(ref reports) == 2
                ? throw new RpcException(new Status(StatusCode.Unavailable, "down"))
                : new ReportMetricsResponse());
        await using var agent = Start(random: () => 0.5);
        await agent.WaitUntilRegisteredAsync().WaitAsync(Timeout);
        for (var i = 0; i < 1_500; i++)
        {
            agent.RecordSent($"10.{i / 250}.{i % 250}.1:1789");
        }

        agent.RecordReceived();

        await agent.ReportMetricsOnceAsync(CancellationToken.None);

        var accepted = _directory.RequestsOf<ReportMetricsRequest>("ReportMetrics")[0];
        var kept = agent.Counters.Take();
        Assert.That(kept.Sent.Keys, Is.EquivalentTo(Enumerable.Range(0, 1_500).Select(i => $"10.{i / 250}.{i % 250}.1:1789").Except(accepted.Sent.Keys)));
        Assert.That(kept.Received, Is.Zero, "received went with the part that was accepted");
    }

    [Test]
    public async Task ReportMetrics_RefusedAsMalformed_CountsDroppedNotRetried()
    {
        _directory.OnUnary<ReportMetricsRequest, ReportMetricsResponse>("ReportMetrics", _ =>
            throw new RpcException(new Status(StatusCode.InvalidArgument, "sent[10.0.0.1:1789] must be at most 1000000000000")));
        await using var agent = Start(random: () => 0.5);
        await agent.WaitUntilRegisteredAsync().WaitAsync(Timeout);
        agent.RecordSent("10.0.0.1:1789");

        await agent.ReportMetricsOnceAsync(CancellationToken.None);

        Assert.That(agent.Counters.Take().IsEmpty, Is.True, "a report the directory calls malformed would fail the same way every time");
        Assert.That(agent.MetricsEnabled, Is.True);
        Assert.That(_logs.Collector.GetSnapshot().Any(r => r.Id.Id == 2013 && r.Level == LogLevel.Warning), Is.True);
    }

    [TestCase("")]
    [TestCase(null)]
    public async Task RecordSent_EmptyOrOverlongNextHop_RefusedAtOnce(string? prefix)
    {
        await using var agent = Start(random: () => 0.5);
        var hop = prefix ?? new string('h', Mixnet.Directory.Validation.MetricsReportLimits.MaxNextHopLength + 1);

        Assert.That(() => agent.RecordSent(hop), Throws.ArgumentException);
        Assert.That(agent.Counters.Take().IsEmpty, Is.True);
    }

    [Test]
    public async Task StopAsync_PacketsCountedSinceTheLastReport_ReportedBeforeDeregistering()
    {
        var agent = Start(random: () => 0.5);
        await agent.WaitUntilRegisteredAsync().WaitAsync(Timeout);
        agent.RecordSent("10.0.0.1:1789");
        agent.RecordSent("10.0.0.1:1789");
        agent.RecordReceived();

        await StopLettingTheLastReportGoAsync(agent);

        var order = _directory.Calls.Select(c => c.Method).Where(m => m is "ReportMetrics" or "DeregisterNode").ToList();
        Assert.That(order, Is.EqualTo(new[] { "ReportMetrics", "DeregisterNode" }));
        var last = _directory.RequestsOf<ReportMetricsRequest>("ReportMetrics").Single();
        Assert.That(last.Sent["10.0.0.1:1789"], Is.EqualTo(2));
        Assert.That(last.Received, Is.EqualTo(1));
        await agent.DisposeAsync();
    }

    [Test]
    public async Task StopAsync_NothingCounted_NoFinalReport()
    {
        var agent = Start(random: () => 0.5);
        await agent.WaitUntilRegisteredAsync().WaitAsync(Timeout);

        await agent.StopAsync().WaitAsync(Timeout);

        Assert.That(_directory.RequestsOf<ReportMetricsRequest>("ReportMetrics"), Is.Empty);
        Assert.That(_directory.RequestsOf<DeregisterNodeRequest>("DeregisterNode"), Has.Count.EqualTo(1));
        await agent.DisposeAsync();
    }

    [Test]
    public async Task StopAsync_FinalReportFails_StillDeregisters()
    {
        _directory.OnUnary<ReportMetricsRequest, ReportMetricsResponse>("ReportMetrics", _ =>
            throw new RpcException(new Status(StatusCode.Unavailable, "down")));
        var agent = Start(random: () => 0.5);
        await agent.WaitUntilRegisteredAsync().WaitAsync(Timeout);
        agent.RecordSent("10.0.0.1:1789");

        await StopLettingTheLastReportGoAsync(agent);

        Assert.That(_directory.RequestsOf<ReportMetricsRequest>("ReportMetrics"), Has.Count.EqualTo(1));
        Assert.That(_directory.RequestsOf<DeregisterNodeRequest>("DeregisterNode"), Has.Count.EqualTo(1));
        Assert.That(agent.State, Is.EqualTo(NodeAgentState.Stopped));
        await agent.DisposeAsync();
    }

    private static readonly byte[] Token = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private static RegisterNodeResponse Registered() => new()
    {
        LeaseToken = ByteString.CopyFrom(Token),
        Ttl = Duration.FromTimeSpan(Interval * 4),
        HeartbeatInterval = Duration.FromTimeSpan(Interval),
        TopologyVersion = 41,
    };

    private static NodeAgentOptions Options() => new()
    {
        DirectoryAddress = new Uri("http://directory.invalid:5000"),
        Role = Mixnet.Directory.Client.NodeRole.Mixnode,
        Layer = 2,
        Host = "198.51.100.7",
        MixPort = 1789,
        Version = "1.0.0",
        Location = "Testland",
    };

    private NodeAgent Start(Func<double> random)
    {
        var agent = new NodeAgent(_identity, Options(), _directory, _loggerFactory, _time, random);
        agent.PresenceDelayScheduled += wait => _waits.Writer.TryWrite(wait);
        agent.MetricsDelayScheduled += wait => _metricsWaits.Writer.TryWrite(wait);
        _ = agent.StartAsync();
        return agent;
    }

    private async Task<TimeSpan> NextWait() => await _waits.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

    /// <summary>Stops the agent, letting the fake clock reach the last report's turn (one metrics window after registering).</summary>
    private async Task StopLettingTheLastReportGoAsync(NodeAgent agent)
    {
        Assert.That(await _metricsWaits.Reader.ReadAsync().AsTask().WaitAsync(Timeout), Is.EqualTo(TimeSpan.FromSeconds(1)), "the loop's first wait");
        var stop = agent.StopAsync();
        _time.Advance(await _metricsWaits.Reader.ReadAsync().AsTask().WaitAsync(Timeout));
        await stop.WaitAsync(Timeout);
    }
}
