using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Mixnet.Directory.Client;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Sdk;

/// <summary>A node agent announcing to two authorities, each a scripted invoker, on a fake clock.</summary>
public sealed class NodeAgentAuthoritiesTests
{
    private static readonly Uri First = new("http://authority0.invalid:5000");
    private static readonly Uri Second = new("http://authority1.invalid:5000");
    private FakeTimeProvider _time = null!;
    private NodeIdentity _identity = null!;
    private FakeCallInvoker _hung = null!;
    private FakeCallInvoker _healthy = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(SdkTestData.Epoch);
        _identity = NodeIdentity.Generate();
        _hung = Directory();
        _healthy = Directory();
    }

    [TearDown]
    public void TearDown() => _identity.Dispose();

    [Test]
    public async Task HungAuthority_HeartbeatsToTheOtherGoOnTime()
    {
        _hung.OnUnaryAsync<RegisterNodeRequest, RegisterNodeResponse>("RegisterNode", (_, ct) => FakeCallInvoker.Never<RegisterNodeResponse>(ct));
        var heartbeats = new List<DateTimeOffset>();
        _healthy.OnUnary<HeartbeatRequest, HeartbeatResponse>("Heartbeat", _ =>
        {
            lock (heartbeats)
            {
                heartbeats.Add(_time.GetUtcNow());
            }

            return new HeartbeatResponse { Ttl = Duration.FromTimeSpan(AgentHarness.HeartbeatInterval * 4) };
        });
        var options = AgentHarness.MixnodeOptions();
        options.CallTimeout = TimeSpan.FromMinutes(5);
        await using var agent = Create(options);
        var waits = Waits(agent);

        await agent.StartAsync();
        await agent.WaitUntilRegisteredAsync().Within();
        for (var i = 1; i <= 3; i++)
        {
            Assert.That(await waits.Reader.ReadAsync().AsTask().Within(), Is.EqualTo(AgentHarness.HeartbeatInterval), "the healthy authority's heartbeat interval, no jitter");
            _time.Advance(AgentHarness.HeartbeatInterval);
        }

        await _healthy.WhenCalled("Heartbeat").Within();
        Assert.That(await waits.Reader.ReadAsync().AsTask().Within(), Is.EqualTo(AgentHarness.HeartbeatInterval));
        lock (heartbeats)
        {
            Assert.That(heartbeats, Is.EqualTo(new[] { 1, 2, 3 }.Select(i => SdkTestData.Epoch + (AgentHarness.HeartbeatInterval * i))), "every heartbeat on time while the other registration hangs");
        }

        Assert.That(agent.State, Is.EqualTo(NodeAgentState.Registered));
        Assert.That(agent.Directories.Select(d => d.State), Is.EqualTo(new[] { NodeAgentState.Starting, NodeAgentState.Registered }));
        Assert.That(agent.Directories[1].Lease, Is.Not.Null);
        Assert.That(_hung.RequestsOf<RegisterNodeRequest>("RegisterNode"), Has.Count.EqualTo(1), "still waiting on its first call");
    }

    [Test]
    public async Task BothRegistered_SameDescriptorToEach_SameCountsToEach_DeregisteredInParallel()
    {
        _hung.OnUnaryAsync<DeregisterNodeRequest, DeregisterNodeResponse>("DeregisterNode", (_, ct) => FakeCallInvoker.Never<DeregisterNodeResponse>(ct));
        var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var agent = Create(AgentHarness.MixnodeOptions());
        agent.DirectoryStateChanged += (_, _) =>
        {
            if (agent.Directories.All(d => d.State == NodeAgentState.Registered))
            {
                both.TrySetResult();
            }
        };

        await agent.StartAsync();
        await both.Task.Within();
        agent.RecordSent("10.0.0.1:1789");
        agent.RecordSent("10.0.0.1:1789");
        agent.RecordReceived();
        await agent.ReportMetricsOnceAsync(CancellationToken.None).Within();

        var registrations = new[] { _hung, _healthy }.Select(d => d.RequestsOf<RegisterNodeRequest>("RegisterNode").Single()).ToArray();
        Assert.That(registrations[0].Descriptor_, Is.EqualTo(registrations[1].Descriptor_), "byte-identical descriptors, so the authorities' votes agree");
        Assert.That(registrations[0].Signature, Is.EqualTo(registrations[1].Signature));
        foreach (var directory in new[] { _hung, _healthy })
        {
            var report = directory.RequestsOf<ReportMetricsRequest>("ReportMetrics").Single();
            Assert.That(report.Sent["10.0.0.1:1789"], Is.EqualTo(2));
            Assert.That(report.Received, Is.EqualTo(1));
        }

        Assert.That(agent.Counters.Take().IsEmpty, Is.True, "the counts were taken once for both");

        var stop = agent.StopAsync();
        await _healthy.WhenCalled("DeregisterNode").Within();
        await _hung.WhenCalled("DeregisterNode").Within();
        Assert.That(stop.IsCompleted, Is.False, "waits for the hung authority, up to the deregister timeout");
        _time.Advance(AgentHarness.MixnodeOptions().DeregisterTimeout);
        await stop.Within();
        Assert.That(agent.State, Is.EqualTo(NodeAgentState.Stopped));
    }

    [Test]
    public void Options_DirectoryAddressAndList_UnionWithoutDuplicates()
    {
        var options = AgentHarness.MixnodeOptions();
        options.DirectoryAddress = First;
        options.DirectoryAddresses.Add(new Uri("http://authority0.invalid:5000/"));
        options.DirectoryAddresses.Add(Second);

        Assert.That(options.AllDirectoryAddresses, Is.EqualTo(new[] { First, Second }));
        options.DirectoryAddress = null;
        options.DirectoryAddresses.Clear();
        Assert.That(() => new NodeAgent(_identity, options), Throws.ArgumentException.With.Message.Contains("DirectoryAddresses"));
    }

    private static FakeCallInvoker Directory()
    {
        var directory = new FakeCallInvoker();
        directory.OnUnary<RegisterNodeRequest, RegisterNodeResponse>("RegisterNode", _ => AgentHarness.Registered());
        directory.OnUnary<HeartbeatRequest, HeartbeatResponse>("Heartbeat", _ => new HeartbeatResponse { Ttl = Duration.FromTimeSpan(AgentHarness.HeartbeatInterval * 4) });
        directory.OnUnary<DeregisterNodeRequest, DeregisterNodeResponse>("DeregisterNode", _ => new DeregisterNodeResponse());
        directory.OnUnary<ReportMetricsRequest, ReportMetricsResponse>("ReportMetrics", _ => new ReportMetricsResponse());
        return directory;
    }

    private static System.Threading.Channels.Channel<TimeSpan> Waits(NodeAgent agent)
    {
        var waits = System.Threading.Channels.Channel.CreateUnbounded<TimeSpan>();
        agent.PresenceDelayScheduled += wait => waits.Writer.TryWrite(wait);
        return waits;
    }

    private NodeAgent Create(NodeAgentOptions options)
    {
        options.ReportMetrics = true;
        options.FirstMetricsReportDelay = TimeSpan.FromHours(1); // the loops stay out of the way; the test reports by hand
        return new NodeAgent(_identity, options, [(First, (CallInvoker)_hung), (Second, _healthy)], null, _time, () => 0.5);
    }
}
