using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mixnet.Directory.Client.Internal;

namespace Mixnet.Directory.Client;

/// <summary>
/// Keeps one node listed in the directory, or in every directory authority it is given: registers,
/// heartbeats at the interval each directory gives (±10 % jitter), registers again when a directory
/// forgets the node, backs off while one cannot be reached, and deregisters on stop. Each directory
/// has its own lease and loops, so a slow or dead one never delays the others; every directory gets
/// the same signed descriptor. Also counts packets and reports them to each directory at the pace
/// it sets. A stopped agent can be started again. The agent does not own the
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
    private readonly List<GrpcChannel> _channels = [];
    private readonly DirectoryLink[] _links;
    private readonly PacketCounters _counters = new();
    // Start and stop take turns, so a stop's deregistration never races a restart's registration.
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _stopping;
    private Task _loops = Task.CompletedTask;
    private volatile NodeAgentState _state = NodeAgentState.Starting;
    private volatile Exception? _fault;
    private bool _disposed;

    /// <summary>
    /// Creates an agent that talks to <see cref="NodeAgentOptions.DirectoryAddress"/> and every
    /// address in <see cref="NodeAgentOptions.DirectoryAddresses"/>, over a channel each.
    /// </summary>
    /// <param name="identity">The node's keys; the caller keeps ownership.</param>
    /// <param name="options">What to announce and where.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <param name="timeProvider">The clock for signing, heartbeats and backoff; the system clock when null.</param>
    /// <exception cref="ArgumentException">The options do not make a valid descriptor, or no address is set.</exception>
    public NodeAgent(NodeIdentity identity, NodeAgentOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
        : this(identity, options, (IReadOnlyList<(Uri?, CallInvoker)>?)null, loggerFactory, timeProvider, null)
    {
    }

    /// <summary>An agent over one call invoker (tests, or a caller-made channel).</summary>
    internal NodeAgent(NodeIdentity identity, NodeAgentOptions options, CallInvoker? invoker, ILoggerFactory? loggerFactory, TimeProvider? timeProvider, Func<double>? random)
        : this(identity, options, invoker is null ? null : [(options?.DirectoryAddress, invoker)], loggerFactory, timeProvider, random)
    {
    }

    /// <summary>An agent over one call invoker per directory; null makes a channel per configured address.</summary>
    internal NodeAgent(
        NodeIdentity identity,
        NodeAgentOptions options,
        IReadOnlyList<(Uri? Address, CallInvoker Invoker)>? invokers,
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
        if (NodeAgentOptionsRules.Validate(options, requireAddress: invokers is null) is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        if (invokers is null)
        {
            invokers = [.. options.AllDirectoryAddresses.Select(address =>
            {
                var channel = ChannelFactory.Create(address, loggerFactory, options.ServerCertificateValidation, options.ConfigureChannel);
                _channels.Add(channel);
                return ((Uri?)address, channel.CreateCallInvoker());
            })];
        }

        // With one directory its outbox is the agent's counters, as it always was; with several,
        // each window's counts are drained once and copied to every directory's outbox.
        _links = [.. invokers.Select(i => new DirectoryLink(
            i.Address,
            ChannelFactory.Intercept(i.Invoker, options.Interceptors),
            invokers.Count == 1 ? _counters : new PacketCounters(),
            options.FirstMetricsReportDelay)
        {
            MetricsEnabled = options.ReportMetrics,
        })];
    }

    /// <summary>The node's identity key.</summary>
    public ReadOnlyMemory<byte> IdentityKey => _identity.IdentityKey;

    /// <summary>
    /// Where the agent is in its life: the best of its directories (registered with at least one is
    /// <see cref="NodeAgentState.Registered"/>; failed only when every directory refused the node for good).
    /// </summary>
    public NodeAgentState State => _state;

    /// <summary>Why the agent failed, when <see cref="State"/> is <see cref="NodeAgentState.Failed"/>.</summary>
    public Exception? Fault => _fault;

    /// <summary>A current lease (without its token): the first directory's that has one; null while registered nowhere.</summary>
    public LeaseInfo? Lease => _links.Select(l => l.Lease?.Info).FirstOrDefault(l => l is not null);

    /// <summary>The agent's standing with each directory, in the order of the configured addresses.</summary>
    public IReadOnlyList<DirectoryStatus> Directories => [.. _links.Select(l => l.Status)];

    /// <summary>The latest topology version any directory mentioned in a registration or heartbeat.</summary>
    public ulong TopologyVersion => _links.Max(l => l.TopologyVersion);

    /// <summary>How many times the agent registered, over all directories (more than one each after a directory forgot the node).</summary>
    public long RegistrationCount => _links.Sum(l => l.Registrations);

    /// <summary>Whether packet counts are being reported to any directory; off for a directory that does not serve metrics.</summary>
    public bool MetricsEnabled => _links.Any(l => l.MetricsEnabled);

    /// <summary>Completes when the agent stops; faults when every directory refused the node for good. A restart gives a new task.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Raised after <see cref="State"/> changed, on an agent loop; keep handlers short.</summary>
    public event EventHandler<NodeAgentState>? StateChanged;

    /// <summary>Raised after the agent's standing with one directory changed, on that directory's loop; keep handlers short.</summary>
    public event EventHandler<DirectoryStatus>? DirectoryStateChanged;

    /// <summary>Test hook: raised with every wait of a presence loop, after its timer is set.</summary>
    internal event Action<TimeSpan>? PresenceDelayScheduled;

    private Task<T> CallAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> start, TimeSpan timeout, CancellationToken cancellationToken) =>
        UnaryCalls.CallAsync(start, timeout, _time, cancellationToken);
}
