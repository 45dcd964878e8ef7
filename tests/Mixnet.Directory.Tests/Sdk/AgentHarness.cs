using System.Threading.Channels;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Time.Testing;
using Mixnet.Directory.Client;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Sdk;

/// <summary>A node agent against a scripted directory on a fake clock, with the waits of both loops observable.</summary>
internal sealed class AgentHarness : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);
    public static readonly byte[] Token = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    public AgentHarness()
    {
        Directory.OnUnary<RegisterNodeRequest, RegisterNodeResponse>("RegisterNode", _ => Registered());
        Directory.OnUnary<HeartbeatRequest, HeartbeatResponse>("Heartbeat", _ => new HeartbeatResponse { Ttl = Duration.FromTimeSpan(HeartbeatInterval * 4) });
        Directory.OnUnary<DeregisterNodeRequest, DeregisterNodeResponse>("DeregisterNode", _ => new DeregisterNodeResponse());
        Directory.OnUnary<ReportMetricsRequest, ReportMetricsResponse>("ReportMetrics", _ => new ReportMetricsResponse());
    }

    public FakeTimeProvider Time { get; } = new(SdkTestData.Epoch);

    public FakeCallInvoker Directory { get; } = new();

    public NodeIdentity Identity { get; } = NodeIdentity.Generate();

    public Channel<TimeSpan> PresenceWaits { get; } = Channel.CreateUnbounded<TimeSpan>();

    public Channel<TimeSpan> MetricsWaits { get; } = Channel.CreateUnbounded<TimeSpan>();

    public static NodeAgentOptions MixnodeOptions() => new()
    {
        DirectoryAddress = new Uri("http://directory.invalid:5000"),
        Role = Mixnet.Directory.Client.NodeRole.Mixnode,
        Layer = 2,
        Host = "198.51.100.7",
        MixPort = 1789,
        Version = "1.0.0",
    };

    public static RegisterNodeResponse Registered() => new()
    {
        LeaseToken = ByteString.CopyFrom(Token),
        Ttl = Duration.FromTimeSpan(HeartbeatInterval * 4),
        HeartbeatInterval = Duration.FromTimeSpan(HeartbeatInterval),
    };

    /// <summary>An agent whose heartbeats carry no jitter, not started.</summary>
    public NodeAgent Create(NodeAgentOptions? options = null)
    {
        var agent = new NodeAgent(Identity, options ?? MixnodeOptions(), Directory, null, Time, () => 0.5);
        agent.PresenceDelayScheduled += wait => PresenceWaits.Writer.TryWrite(wait);
        agent.MetricsDelayScheduled += wait => MetricsWaits.Writer.TryWrite(wait);
        return agent;
    }

    public async Task<TimeSpan> NextMetricsWait() => await MetricsWaits.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

    public async Task<TimeSpan> NextPresenceWait() => await PresenceWaits.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

    public void Dispose() => Identity.Dispose();
}
