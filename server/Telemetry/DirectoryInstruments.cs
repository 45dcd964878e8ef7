using System.Diagnostics.Metrics;
using Mixnet.Directory.Server.Metrics;
using Mixnet.Directory.Server.Topology;

namespace Mixnet.Directory.Server.Telemetry;

/// <summary>
/// The directory's own counters, on the <c>Mixnet.Directory</c> meter, for dotnet-counters today
/// and any OpenTelemetry exporter later. Counters are cheap when nobody listens.
/// </summary>
internal sealed class DirectoryInstruments
{
    public const string MeterName = "Mixnet.Directory";

    /// <summary>The OpenTelemetry <c>service.name</c> of the directory (Prometheus: <c>service_name</c>).</summary>
    public const string ServiceName = "mixnet-directory";

    private readonly Counter<long> _heartbeats;
    private readonly Counter<long> _registrations;
    private readonly Counter<long> _rejections;
    private readonly Counter<long> _expiries;

    public DirectoryInstruments(IMeterFactory meterFactory, Membership membership, MetricsHub hub, TopologyPublisher publisher)
    {
        var meter = meterFactory.Create(MeterName);
        _heartbeats = meter.CreateCounter<long>("mixnet.directory.heartbeats", "{heartbeat}", "Heartbeats accepted");
        _registrations = meter.CreateCounter<long>("mixnet.directory.registrations", "{registration}", "Registrations accepted");
        _rejections = meter.CreateCounter<long>("mixnet.directory.rejections", "{request}", "Requests refused, by gRPC status code");
        _expiries = meter.CreateCounter<long>("mixnet.directory.expiries", "{node}", "Nodes dropped because their lease ran out");
        meter.CreateObservableGauge("mixnet.directory.live_nodes", () => LiveNodesByRoleAndLayer(membership), "{node}", "Nodes in the topology, by role and layer");
        meter.CreateObservableGauge("mixnet.directory.topology_version", () => (long)publisher.Current.Version, "{version}", "Latest published topology version");
        meter.CreateObservableGauge("mixnet.directory.watchers", () => publisher.WatcherCount, "{stream}", "Open WatchTopology streams");
        meter.CreateObservableGauge("mixnet.directory.metrics_subscribers", () => hub.SubscriberCount, "{stream}", "Open StreamMetrics streams");
        meter.CreateObservableCounter("mixnet.directory.metrics_reports", () => hub.ReportCount, "{report}", "Metrics reports accepted");
        meter.CreateObservableCounter("mixnet.directory.network_packets_sent", () => hub.PacketsSent, "{packet}", "Packets sent, network-wide, in accepted metrics reports");
        meter.CreateObservableCounter("mixnet.directory.network_packets_received", () => hub.PacketsReceived, "{packet}", "Packets received, network-wide, in accepted metrics reports");
        meter.CreateObservableGauge("mixnet.directory.metrics_replay_bytes", () => hub.ReplayBytes, "By", "Memory held by the metrics frames kept for replay (bounded by Directory:MetricsReplayBytes)");
        meter.CreateObservableGauge("mixnet.directory.metrics_replay_frames", () => ReplayFrames(hub), "{frame}", "Metrics frames kept for replay: all of them (totals), and those with per-node detail");
        meter.CreateObservableCounter("mixnet.directory.dropped_frames", () => (long)hub.DroppedFrames, "{frame}", "Metrics frames dropped for slow subscribers still connected");
    }

    public void Heartbeat() => _heartbeats.Add(1);

    public void Expired(int count) => _expiries.Add(count);

    public void Registration() => _registrations.Add(1);

    private static IEnumerable<Measurement<int>> ReplayFrames(MetricsHub hub)
    {
        yield return new Measurement<int>(hub.ReplayFrameCount, new KeyValuePair<string, object?>("detail", "totals"));
        yield return new Measurement<int>(hub.ReplayDetailFrameCount, new KeyValuePair<string, object?>("detail", "nodes"));
    }

    private static IEnumerable<Measurement<int>> LiveNodesByRoleAndLayer(Membership membership)
    {
        // Read on each scrape (seconds apart), not on any request path.
        var counts = new int[5];
        foreach (var record in membership.State.Nodes.Values)
        {
            counts[record.Role == V1.NodeRole.Gateway ? 0 : (int)Math.Min(record.Layer, 3)]++;
        }

        yield return new Measurement<int>(counts[0], new KeyValuePair<string, object?>("role", "gateway"), new KeyValuePair<string, object?>("layer", 0));
        for (var layer = 1; layer <= 3; layer++)
        {
            yield return new Measurement<int>(counts[layer], new KeyValuePair<string, object?>("role", "mixnode"), new KeyValuePair<string, object?>("layer", layer));
        }
    }

    /// <summary>A refused request; <paramref name="code"/> is the snake_case gRPC status name (<see cref="Errors.GrpcRefusals.CodeName"/>).</summary>
    public void Rejection(string code) => _rejections.Add(1, new KeyValuePair<string, object?>("code", code));
}
