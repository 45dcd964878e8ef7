using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mixnet.Directory.Client.Internal;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Client;

/// <summary>
/// Keeps one node listed in the directory: registers, heartbeats at the interval the directory
/// gives (±10 % jitter), registers again when the directory forgets the node, backs off while it
/// cannot be reached, and deregisters on stop. Also counts packets and reports them at the pace the
/// directory sets. A stopped agent can be started again. The agent does not own the
/// <see cref="NodeIdentity"/> it is given.
/// </summary>
public sealed partial class NodeAgent : IAsyncDisposable
{
    private const double HeartbeatJitter = 0.1;
    private readonly NodeIdentity _identity;
    private readonly NodeAgentOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Func<double> _random;
    private readonly GrpcChannel? _channel;
    private readonly RegistryService.RegistryServiceClient _registry;
    private readonly PresenceService.PresenceServiceClient _presence;
    private readonly MetricsService.MetricsServiceClient _metrics;
    private readonly PacketCounters _counters = new();
    // Start and stop take turns, so a stop's deregistration never races a restart's registration.
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _stopping;
    private Task _loops = Task.CompletedTask;
    private volatile Lease? _lease;
    private volatile NodeAgentState _state = NodeAgentState.Starting;
    private volatile Exception? _fault;
    private volatile bool _metricsEnabled;
    private DateTimeOffset _lastSignedAt;
    private long _topologyVersion;
    private long _registrations;
    private bool _disposed;

    /// <summary>Creates an agent that talks to <see cref="NodeAgentOptions.DirectoryAddress"/> over its own channel.</summary>
    /// <param name="identity">The node's keys; the caller keeps ownership.</param>
    /// <param name="options">What to announce and where.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <param name="timeProvider">The clock for signing, heartbeats and backoff; the system clock when null.</param>
    /// <exception cref="ArgumentException">The options do not make a valid descriptor, or no address is set.</exception>
    public NodeAgent(NodeIdentity identity, NodeAgentOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
        : this(identity, options, null, loggerFactory, timeProvider, null)
    {
    }

    internal NodeAgent(
        NodeIdentity identity,
        NodeAgentOptions options,
        CallInvoker? invoker,
        ILoggerFactory? loggerFactory,
        TimeProvider? timeProvider,
        Func<double>? random)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        loggerFactory ??= NullLoggerFactory.Instance;
        _identity = identity;
        _options = options;
        _logger = loggerFactory.CreateLogger<NodeAgent>();
        _time = timeProvider ?? TimeProvider.System;
        _random = random ?? Random.Shared.NextDouble;
        _metricsEnabled = options.ReportMetrics;
        _reportIntervalTicks = options.FirstMetricsReportDelay.Ticks;
        if (NodeAgentOptionsRules.Validate(options, requireAddress: invoker is null) is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        if (invoker is null)
        {
            _channel = ChannelFactory.Create(options.DirectoryAddress!, loggerFactory, options.ServerCertificateValidation, options.ConfigureChannel);
            invoker = _channel.CreateCallInvoker();
        }

        invoker = ChannelFactory.Intercept(invoker, options.Interceptors);

        _registry = new RegistryService.RegistryServiceClient(invoker);
        _presence = new PresenceService.PresenceServiceClient(invoker);
        _metrics = new MetricsService.MetricsServiceClient(invoker);
    }

    /// <summary>The node's identity key.</summary>
    public ReadOnlyMemory<byte> IdentityKey => _identity.IdentityKey;

    /// <summary>Where the agent is in its life.</summary>
    public NodeAgentState State => _state;

    /// <summary>Why the agent failed, when <see cref="State"/> is <see cref="NodeAgentState.Failed"/>.</summary>
    public Exception? Fault => _fault;

    /// <summary>The current lease (without its token), or null while not registered.</summary>
    public LeaseInfo? Lease => _lease?.Info;

    /// <summary>The latest topology version the directory mentioned in a registration or heartbeat.</summary>
    public ulong TopologyVersion => (ulong)Interlocked.Read(ref _topologyVersion);

    /// <summary>How many times the agent registered (more than one after the directory forgot the node).</summary>
    public long RegistrationCount => Interlocked.Read(ref _registrations);

    /// <summary>Whether packet counts are being reported; turns off when the directory does not serve metrics.</summary>
    public bool MetricsEnabled => _metricsEnabled;

    /// <summary>Completes when the agent stops; faults when the directory refused the node for good. A restart gives a new task.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Raised after <see cref="State"/> changed, on the agent's loop; keep handlers short.</summary>
    public event EventHandler<NodeAgentState>? StateChanged;

    /// <summary>Test hook: raised with every wait of the presence loop, after its timer is set.</summary>
    internal event Action<TimeSpan>? PresenceDelayScheduled;

    /// <summary>Counts one packet sent to a next hop (<c>host:port</c>). Lock-free; safe from any thread.</summary>
    /// <param name="nextHop">The next hop's <c>host:port</c>, 1 to 262 characters.</param>
    /// <exception cref="ArgumentException">The key is empty or longer than the directory accepts; counted, it would make every later report fail.</exception>
    public void RecordSent(string nextHop)
    {
        ArgumentNullException.ThrowIfNull(nextHop);
        if (nextHop.Length is 0 or > Validation.MetricsReportLimits.MaxNextHopLength)
        {
            throw new ArgumentException($"a next hop is host:port of 1..{Validation.MetricsReportLimits.MaxNextHopLength} characters", nameof(nextHop));
        }

        _counters.RecordSent(nextHop);
    }

    /// <summary>Counts one packet received whose previous hop is unknown (for example from a client). Lock-free; safe from any thread.</summary>
    public void RecordReceived() => _counters.RecordReceived();

    /// <summary>
    /// Counts one packet received from a previous hop. The directory compares these counts with
    /// what that hop says it sent here to judge the link, so name the hop exactly as the directory
    /// lists it: its <c>host:mix_port</c> (<see cref="NodeInfo.MixEndpoint"/>). Lock-free; safe from any thread.
    /// </summary>
    /// <param name="fromHop">The previous hop's <c>host:mix_port</c>, 1 to 262 characters.</param>
    /// <exception cref="ArgumentException">The key is empty or longer than the directory accepts.</exception>
    public void RecordReceived(string fromHop)
    {
        ArgumentNullException.ThrowIfNull(fromHop);
        if (fromHop.Length is 0 or > Validation.MetricsReportLimits.MaxNextHopLength)
        {
            throw new ArgumentException($"a previous hop is host:port of 1..{Validation.MetricsReportLimits.MaxNextHopLength} characters", nameof(fromHop));
        }

        _counters.RecordReceived(fromHop);
    }

    /// <summary>
    /// Starts registering and heartbeating in the background. Returns at once; the directory need not
    /// be up. Does nothing while the agent runs; after <see cref="StopAsync"/> (or a failure followed
    /// by <see cref="StopAsync"/>) it starts the agent again, which registers again.
    /// </summary>
    /// <param name="cancellationToken">Cancels the start only.</param>
    /// <exception cref="ObjectDisposedException">The agent was disposed.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_stopping is not null)
            {
                return;
            }

            if (_state is NodeAgentState.Stopped or NodeAgentState.Failed)
            {
                // A restart: the previous run's outcome is history.
                _fault = null;
                _metricsEnabled = _options.ReportMetrics;
                _completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref _registered, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                SetState(NodeAgentState.Starting);
            }

            _stopping = new CancellationTokenSource();
            var token = _stopping.Token;
            var presence = Task.Run(() => RunLoopAsync(RunPresenceAsync, token), CancellationToken.None);
            var metrics = Task.Run(() => RunLoopAsync(RunMetricsAsync, token), CancellationToken.None);
            _loops = Task.WhenAll(presence, metrics);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Completes when the agent is registered: at once if it is now, else at the next
    /// registration. Throws when the agent fails for good or stops first.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    public Task WaitUntilRegisteredAsync(CancellationToken cancellationToken = default) =>
        Volatile.Read(ref _registered).Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Stops the loops, reports the packets counted since the last report, and deregisters (both
    /// best effort, each bounded by <see cref="NodeAgentOptions.DeregisterTimeout"/>). The last
    /// report waits for its turn (<c>next_report_in</c>) when that comes within the same bound.
    /// </summary>
    /// <param name="cancellationToken">Abandons the last report and the deregistration.</param>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        // Not cancellable: a stop always gets its turn, and a start holds the turn only briefly.
        await _lifecycle.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var stopping = _stopping;
            _stopping = null;
            if (stopping is not null)
            {
                await stopping.CancelAsync().ConfigureAwait(false);
                await _loops.ConfigureAwait(false);
                stopping.Dispose();
            }

            var lease = _lease;
            if (lease is not null)
            {
                await ReportFinalMetricsAsync(cancellationToken).ConfigureAwait(false);
            }

            _lease = null;
            if (lease is not null)
            {
                await DeregisterAsync(lease, cancellationToken).ConfigureAwait(false);
            }

            if (_state != NodeAgentState.Failed)
            {
                SetState(NodeAgentState.Stopped);
                Volatile.Read(ref _registered).TrySetCanceled(CancellationToken.None);
                _completion.TrySetResult();
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await StopAsync().ConfigureAwait(false);
        _disposed = true;
        _channel?.Dispose();
    }

    private NodeDescriptor BuildDescriptor(DateTimeOffset signedAt) =>
        NodeAgentOptionsRules.Descriptor(_options, _identity.IdentityKey, _identity.SphinxKey, signedAt);

    private static async Task RunLoopAsync(Func<CancellationToken, Task> loop, CancellationToken cancellationToken)
    {
        try
        {
            await loop(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void SetState(NodeAgentState state)
    {
        var previous = _state;
        if (previous == state)
        {
            return;
        }

        _state = state;
        if (state == NodeAgentState.Registered)
        {
            Volatile.Read(ref _registered).TrySetResult();
        }
        else if (previous == NodeAgentState.Registered)
        {
            Volatile.Write(ref _registered, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        StateChanged?.Invoke(this, state);
    }

    private Task<T> CallAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> start, TimeSpan timeout, CancellationToken cancellationToken) =>
        UnaryCalls.CallAsync(start, timeout, _time, cancellationToken);
}
