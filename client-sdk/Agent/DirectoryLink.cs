using Grpc.Core;
using Mixnet.Directory.Client.Internal;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Client;

/// <summary>
/// A node agent's connection to one directory (authority): its own lease, state, backoff, metrics
/// pace and outbox of counts not yet delivered to it, so a slow or dead directory holds up nobody else.
/// </summary>
internal sealed class DirectoryLink(Uri? address, CallInvoker invoker, PacketCounters outbox, TimeSpan firstReportDelay)
{
    private volatile Lease? _lease;
    private volatile NodeAgentState _state = NodeAgentState.Starting;
    private long _topologyVersion;
    private long _registrations;
    private long _reportIntervalTicks = firstReportDelay.Ticks;
    private long _nextReportAtTicks = DateTimeOffset.MinValue.UtcTicks;

    public Uri? Address { get; } = address;

    public string Name { get; } = address?.ToString() ?? "directory";

    public RegistryService.RegistryServiceClient Registry { get; } = new(invoker);

    public PresenceService.PresenceServiceClient Presence { get; } = new(invoker);

    public MetricsService.MetricsServiceClient Metrics { get; } = new(invoker);

    /// <summary>Counts not yet delivered to this directory (the agent's own counters when it has one directory).</summary>
    public PacketCounters Outbox { get; } = outbox;

    public Lease? Lease
    {
        get => _lease;
        set => _lease = value;
    }

    public NodeAgentState State
    {
        get => _state;
        set => _state = value;
    }

    public bool MetricsEnabled { get; set; } = true;

    /// <summary>Completes when this directory registers the node; replaced when the lease is lost.</summary>
    public TaskCompletionSource Registered { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The signed_at of the last descriptor this directory accepted or refused: the next registration needs a newer one.</summary>
    public DateTimeOffset LastSignedAt { get; set; } = DateTimeOffset.MinValue;

    public ulong TopologyVersion
    {
        get => (ulong)Interlocked.Read(ref _topologyVersion);
        set => Interlocked.Exchange(ref _topologyVersion, (long)value);
    }

    public long Registrations => Interlocked.Read(ref _registrations);

    /// <summary>The interval between reports: the latest <c>next_report_in</c>, or the first-report delay before any answer.</summary>
    public TimeSpan ReportInterval
    {
        get => TimeSpan.FromTicks(Volatile.Read(ref _reportIntervalTicks));
        set => Volatile.Write(ref _reportIntervalTicks, value.Ticks);
    }

    /// <summary>The earliest time the directory takes the next report.</summary>
    public DateTimeOffset NextReportAt => new(Volatile.Read(ref _nextReportAtTicks), TimeSpan.Zero);

    public DirectoryStatus Status => new(Address, State, Lease?.Info, Registrations);

    public void CountRegistration() => Interlocked.Increment(ref _registrations);

    /// <summary>Moves the next report to <paramref name="at"/> unless it is already later. Called by both loops.</summary>
    public void DeferNextReport(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        var current = Volatile.Read(ref _nextReportAtTicks);
        while (ticks > current)
        {
            var seen = Interlocked.CompareExchange(ref _nextReportAtTicks, ticks, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Back to the state of a new link, for a restart (the pace the directory set is kept).</summary>
    public void Reset(bool metricsEnabled)
    {
        MetricsEnabled = metricsEnabled;
        State = NodeAgentState.Starting;
        Registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
