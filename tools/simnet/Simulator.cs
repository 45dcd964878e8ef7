using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Mixnet.Directory.Client;

namespace Mixnet.Directory.Simnet;

/// <summary>
/// Simulates a mixnet against a real directory: N mixnodes over three layers and M gateways, each
/// a real <see cref="NodeAgent"/> with its own keys, and packets along random routes
/// (gateway, L1, L2, L3, gateway) counted at both ends of every link, so the directory's sent and
/// received totals agree. Optionally churns nodes. Stops every agent (deregisters) when done.
/// </summary>
public sealed partial class Simulator
{
    private static readonly string[] Locations = ["DE", "NL", "CH", "FR", "IS", "SE", "US", "CA", "JP", "SG"];

    private readonly SimulatorOptions _options;
    private readonly TextWriter _status;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Random _behaviourRandom;
    private readonly ConcurrentDictionary<ReadOnlyMemory<byte>, SimNode> _active = new(KeyComparer.Instance);
    private readonly FlushTracker _flush = new();
    private readonly Lock _trafficGate = new();
    private long _started = Stopwatch.GetTimestamp();
    private volatile Topology? _topology;
    private int _nextPort;
    private int _agentsStarted;
    private int _agentsRegistered;
    private int _churned;
    private long _packets;

    /// <summary>Creates a simulator; nothing runs until <see cref="RunAsync"/>.</summary>
    /// <param name="options">What to simulate.</param>
    /// <param name="status">Where status lines go.</param>
    /// <param name="loggerFactory">Logging for the agents and the directory client; none when null.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    public Simulator(SimulatorOptions options, TextWriter status, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(status);
        options.Validate();
        _options = options;
        _status = TextWriter.Synchronized(status);
        _loggerFactory = loggerFactory;
        _time = timeProvider ?? TimeProvider.System;
        _random = options.Seed is { } seed ? new Random(seed) : new Random();
        _behaviourRandom = options.Seed is { } s ? new Random(s + 1) : new Random();
        _nextPort = options.BasePort;
    }

    /// <summary>Packets sent so far.</summary>
    public long Packets => Interlocked.Read(ref _packets);

    /// <summary>
    /// Starts the nodes, sends traffic until <paramref name="cancellationToken"/> is cancelled, the
    /// duration has passed or the packet limit is reached, waits for every node's last counts to
    /// reach the directory, and stops every agent.
    /// </summary>
    /// <exception cref="Grpc.Core.RpcException">The directory cannot be reached at the start.</exception>
    public async Task<SimulationResult> RunAsync(CancellationToken cancellationToken = default)
    {
        _started = Stopwatch.GetTimestamp();
        var clientOptions = new DirectoryClientOptions
        {
            Address = _options.ObservedDirectory,
            MaxRetryAttempts = 2,
            ReconnectMaxBackoff = TimeSpan.FromSeconds(5),
            AuthorityThreshold = _options.AuthorityThreshold,
        };
        foreach (var authority in _options.Authorities)
        {
            clientOptions.Authorities.Add(authority);
        }

        await using var client = new DirectoryClient(clientOptions, _loggerFactory, _time);
        var info = await client.GetDirectoryInfoAsync(cancellationToken);
        Write($"directory {_options.ObservedDirectory} (key {info.Fingerprint}, server {info.ServerVersion}, heartbeat {info.HeartbeatInterval.TotalSeconds:0.###} s)");
        if (_options.Authorities.Count > 0)
        {
            Write(FormattableString.Invariant($"{_options.Authorities.Count} authorities; agents announce to all, routes come from the consensus of at least {clientOptions.AuthorityThreshold ?? ((_options.Authorities.Count / 2) + 1)}"));
        }

        using var background = new CancellationTokenSource();
        var watch = WatchTopologyAsync(client, background.Token);
        var metrics = ObserveMetricsAsync(client, background.Token);
        var churns = new List<Task>();
        var drained = true;
        try
        {
            await StartAgentsAsync(cancellationToken);
            WriteTruth();
            await RunTrafficAsync(churns, cancellationToken);
            WriteTruth(); // churn may have brought new droppers and liars
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            drained = await ShutdownAsync(churns);
            await background.CancelAsync();
            await Task.WhenAll(watch, metrics);
        }

        var result = new SimulationResult(
            Packets,
            _agentsStarted,
            _agentsRegistered,
            _churned,
            drained,
            _directorySent,
            _directoryReceived,
            _flush.LastFlushWindowEnd);
        Write($"done: {Packets:N0} packets ({result.Hops:N0} links), {_agentsStarted} agents started, {_churned} churned; "
            + $"the directory counted {result.DirectorySent:N0} sent and {result.DirectoryReceived:N0} received");
        return result;
    }

    private TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    private void Write(string line) =>
        _status.WriteLine(FormattableString.Invariant($"[{Elapsed.TotalSeconds,6:0.0}s] {line}"));
}
