using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mixnet.Directory.Client.Internal;
using Mixnet.Directory.V1;
using Mixnet.Directory.Validation;

namespace Mixnet.Directory.Client;

/// <summary>
/// Keeps one node listed in the directory: registers, heartbeats at the interval the directory
/// gives (±10 % jitter), registers again when the directory forgets the node, backs off while it
/// cannot be reached, and deregisters on stop. Also counts packets and reports them.
/// The agent does not own the <see cref="NodeIdentity"/> it is given.
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
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
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
    private bool _started;

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
        if (options.MinBackoff <= TimeSpan.Zero || options.MaxBackoff < options.MinBackoff)
        {
            throw new ArgumentException("NodeAgentOptions: MinBackoff must be positive and at most MaxBackoff.", nameof(options));
        }

        var error = NodeDescriptorRules.Validate(BuildDescriptor(_time.GetUtcNow()), "NodeAgentOptions descriptor.");
        if (error is not null)
        {
            throw new ArgumentException($"NodeAgentOptions do not make a valid node descriptor: {error}", nameof(options));
        }

        if (invoker is null)
        {
            var address = options.DirectoryAddress
                ?? throw new ArgumentException("NodeAgentOptions.DirectoryAddress is required.", nameof(options));
            _channel = ChannelFactory.Create(address, loggerFactory, options.ServerCertificateValidation);
            invoker = _channel.CreateCallInvoker();
        }

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

    /// <summary>Completes when the agent stops; faults when the directory refused the node for good.</summary>
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

    /// <summary>Counts one packet received. Lock-free; safe from any thread.</summary>
    public void RecordReceived() => _counters.RecordReceived();

    /// <summary>Starts registering and heartbeating in the background. Returns at once; the directory need not be up.</summary>
    /// <param name="cancellationToken">Cancels the start only.</param>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_state == NodeAgentState.Stopped)
            {
                throw new InvalidOperationException("A stopped NodeAgent cannot be started again; create a new one.");
            }
            if (_started)
            {
                return Task.CompletedTask;
            }

            _started = true;
            _stopping = new CancellationTokenSource();
            var token = _stopping.Token;
            var presence = Task.Run(() => RunLoopAsync(RunPresenceAsync, token), CancellationToken.None);
            var metrics = Task.Run(() => RunLoopAsync(RunMetricsAsync, token), CancellationToken.None);
            _loops = Task.WhenAll(presence, metrics);
        }

        return Task.CompletedTask;
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
    /// best effort, each bounded by <see cref="NodeAgentOptions.DeregisterTimeout"/>).
    /// </summary>
    /// <param name="cancellationToken">Abandons the deregistration.</param>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        CancellationTokenSource? stopping;
        lock (_gate)
        {
            stopping = _stopping;
            _stopping = null;
        }

        if (stopping is not null)
        {
            await stopping.CancelAsync();
            await _loops;
            stopping.Dispose();
        }

        var lease = _lease;
        if (lease is not null)
        {
            await ReportFinalMetricsAsync(cancellationToken);
        }

        _lease = null;
        if (lease is not null)
        {
            await DeregisterAsync(lease, cancellationToken);
        }

        if (_state != NodeAgentState.Failed)
        {
            SetState(NodeAgentState.Stopped);
            Volatile.Read(ref _registered).TrySetCanceled(CancellationToken.None);
            _completion.TrySetResult();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _channel?.Dispose();
    }

    private NodeDescriptor BuildDescriptor(DateTimeOffset signedAt) => new()
    {
        IdentityKey = UnsafeByteOperations.UnsafeWrap(_identity.IdentityKey),
        SphinxKey = UnsafeByteOperations.UnsafeWrap(_identity.SphinxKey),
        Role = ProtoMapping.ToProto(_options.Role),
        Layer = unchecked((uint)_options.Layer),
        Host = _options.Host ?? "",
        MixPort = unchecked((uint)_options.MixPort),
        ClientPort = unchecked((uint)_options.ClientPort),
        Version = _options.Version ?? "",
        Location = _options.Location ?? "",
        SignedAt = Timestamp.FromDateTimeOffset(signedAt),
    };

    private static async Task RunLoopAsync(Func<CancellationToken, Task> loop, CancellationToken cancellationToken)
    {
        try
        {
            await loop(cancellationToken);
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

    private async Task<T> CallAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> start, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var call = start(new CallOptions(cancellationToken: linked.Token));
        return await call.ResponseAsync;
    }
}
