using Google.Protobuf;
using Grpc.Core;
using Mixnet.Directory.Bench.Nodes;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Bench.Soak;

/// <summary>
/// One simulated node: the SDK NodeAgent's presence and metrics policy (client-sdk/Agent/
/// NodeAgent.Presence.cs and NodeAgent.Metrics.cs) over shared channels, so thousands fit in
/// the bench process. It heartbeats every heartbeat_interval ±10 %, re-registers on NOT_FOUND
/// or UNAUTHENTICATED, backs off 500 ms doubling with full jitter, capped at the heartbeat
/// interval while it holds a lease (30 s without), and reports metrics every next_report_in.
/// </summary>
internal sealed class SoakAgent(BenchNode node, SoakClients clients) : IDisposable
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MinReportInterval = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource _stop = new();
    private ByteString? _lease;
    private TimeSpan _heartbeatInterval = TimeSpan.FromSeconds(5);
    private Task _presence = Task.CompletedTask;
    private Task _metrics = Task.CompletedTask;

    public BenchNode Node { get; } = node;

    public ulong Tag => Node.Tag;

    /// <summary>Registrations made, counting re-registrations after the directory lost the lease.</summary>
    public int Registrations { get; private set; }

    public long Reports { get; private set; }

    public long FailedCalls { get; private set; }

    public void Start(TimeSpan firstDelay, ByteString? lease)
    {
        _lease = lease;
        _presence = Task.Run(() => PresenceAsync(firstDelay, _stop.Token));
        _metrics = Task.Run(() => MetricsAsync(_stop.Token));
    }

    /// <summary>Stops both loops and deregisters, as NodeAgent.StopAsync does.</summary>
    public async Task LeaveAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_presence, _metrics).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_lease is { } lease)
        {
            try
            {
                await clients.Registry.DeregisterNodeAsync(new DeregisterNodeRequest { IdentityKey = Node.IdentityKey, LeaseToken = lease }, deadline: DateTime.UtcNow.AddSeconds(2));
            }
            catch (RpcException)
            {
            }
        }

        Dispose();
    }

    public void Dispose() => _stop.Dispose();

    /// <summary>Stops the loops without deregistering (end of the run).</summary>
    public async Task HaltAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_presence, _metrics).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task PresenceAsync(TimeSpan firstDelay, CancellationToken ct)
    {
        await Task.Delay(firstDelay, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            TimeSpan wait;
            var lease = _lease;
            try
            {
                if (lease is null)
                {
                    // The first registration is the pre-signed one (here or in the bench's initial
                    // burst); later ones are signed anew, as NodeAgent does.
                    var request = Node.LeaseToken.IsEmpty ? Node.Register : Node.Resign();
                    var reply = await clients.Registry.RegisterNodeAsync(request, deadline: DateTime.UtcNow + CallTimeout, cancellationToken: ct);
                    _lease = reply.LeaseToken;
                    Node.Registered(reply.LeaseToken);
                    if (reply.HeartbeatInterval?.ToTimeSpan() is { } interval && interval > TimeSpan.Zero)
                    {
                        _heartbeatInterval = interval;
                    }

                    Registrations++;
                }
                else
                {
                    await clients.Presence.HeartbeatAsync(new HeartbeatRequest { IdentityKey = Node.IdentityKey, LeaseToken = lease }, deadline: DateTime.UtcNow + CallTimeout, cancellationToken: ct);
                }

                failures = 0;
                wait = _heartbeatInterval * (0.9 + (0.2 * Random.Shared.NextDouble()));
            }
            catch (RpcException ex) when (!ct.IsCancellationRequested)
            {
                FailedCalls++;
                if (lease is not null && ex.StatusCode is StatusCode.NotFound or StatusCode.Unauthenticated)
                {
                    _lease = null;
                    wait = TimeSpan.Zero;
                }
                else
                {
                    var max = lease is null ? MaxBackoff : TimeSpan.FromTicks(Math.Max(MinBackoff.Ticks, Math.Min(MaxBackoff.Ticks, _heartbeatInterval.Ticks)));
                    var ceiling = Math.Min(max.Ticks, MinBackoff.Ticks * Math.Pow(2, Math.Min(failures++, 30)));
                    wait = TimeSpan.FromTicks((long)(ceiling * Random.Shared.NextDouble()));
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await Task.Delay(wait, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task MetricsAsync(CancellationToken ct)
    {
        // Like NodeAgent.Metrics: the first report one heartbeat interval after start, then every next_report_in.
        var interval = _heartbeatInterval * Random.Shared.NextDouble();
        var request = new ReportMetricsRequest { IdentityKey = Node.IdentityKey, Received = 1_000 };
        request.Sent[$"hop{Tag % 997}.mixnet-bench.example:1789"] = 600;
        request.Sent[$"hop{(Tag + 1) % 997}.mixnet-bench.example:1789"] = 400;
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(interval, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (ct.IsCancellationRequested || _lease is not { } lease)
            {
                interval = _heartbeatInterval;
                continue;
            }

            try
            {
                request.LeaseToken = lease;
                var reply = await clients.Metrics.ReportMetricsAsync(request, deadline: DateTime.UtcNow + CallTimeout, cancellationToken: ct);
                Reports++;
                var next = reply.NextReportIn?.ToTimeSpan() ?? TimeSpan.Zero;
                interval = next > MinReportInterval ? next : interval;
            }
            catch (RpcException) when (!ct.IsCancellationRequested)
            {
                FailedCalls++;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
