using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Mixnet.Directory.Client.Internal;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Client;

/// <summary>
/// The topology from N directory authorities: the consensus a threshold of them signed, fetched
/// from any of them with failover and refetched in the background shortly before it goes stale.
/// </summary>
public sealed partial class DirectoryClient
{
    private readonly ConsensusEngine? _consensus;
    private readonly List<GrpcChannel> _authorityChannels = [];
    private readonly object _refreshGate = new();
    private CancellationTokenSource? _refreshStop;
    private Task _refreshLoop = Task.CompletedTask;
    private TaskCompletionSource _consensusChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _disposing;
    private ulong _acceptedEpoch;

    /// <summary>Test hook: raised with every wait of the background refresh, after its timer is set.</summary>
    internal event Action<TimeSpan>? ConsensusRefreshScheduled;

    private ConsensusEngine CreateConsensusEngine(Func<Uri, CallInvoker>? authorityInvokers, ILoggerFactory loggerFactory)
    {
        var authorities = new List<(string, CallInvoker)>();
        foreach (var authority in _options.Authorities)
        {
            var address = authority.Address!;
            CallInvoker invoker;
            if (authorityInvokers is not null)
            {
                invoker = authorityInvokers(address);
            }
            else
            {
                var channel = CreateChannel(address, loggerFactory);
                _authorityChannels.Add(channel);
                invoker = channel.CreateCallInvoker();
            }

            authorities.Add((address.ToString(), ChannelFactory.Intercept(invoker, _options.Interceptors)));
        }

        var keys = ConsensusVerifier.CheckConfiguration(_options.Authorities.Select(a => a.KeyBytes!), DirectoryClientOptionsRules.Threshold(_options));
        return new ConsensusEngine(authorities, keys, DirectoryClientOptionsRules.Threshold(_options), _time, _options.ConsensusClockSkew, _options.CallTimeout, _logger);
    }

    /// <summary>Fetches the consensus (failover across authorities) and starts the background refresh.</summary>
    private async Task<Topology> GetConsensusAsync(ConsensusEngine engine, CancellationToken cancellationToken)
    {
        var topology = await engine.FetchAsync(cancellationToken).ConfigureAwait(false);
        Accepted(topology);
        EnsureRefreshing(engine);
        return topology;
    }

    private void Accepted(Topology topology)
    {
        lock (_refreshGate)
        {
            if (topology.Version <= _acceptedEpoch)
            {
                return;
            }

            _acceptedEpoch = topology.Version;
        }

        var changed = Interlocked.Exchange(ref _consensusChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        changed.TrySetResult();
        DirectoryClientLog.ConsensusAccepted(_logger, topology.Version, topology.Consensus?.Signers ?? 0, topology.Count);
    }

    private void EnsureRefreshing(ConsensusEngine engine)
    {
        lock (_refreshGate)
        {
            if (_refreshStop is not null || _disposing)
            {
                return;
            }

            _refreshStop = new CancellationTokenSource();
            var token = _refreshStop.Token;
            _refreshLoop = Task.Run(() => RefreshLoopAsync(engine, token), CancellationToken.None);
        }
    }

    private async Task RefreshLoopAsync(ConsensusEngine engine, CancellationToken cancellationToken)
    {
        var failures = 0;
        try
        {
            while (true)
            {
                var wait = failures > 0
                    ? Backoff.Delay(failures - 1, _options.ReconnectMinBackoff, _options.ReconnectMaxBackoff, _random())
                    : ConsensusSchedule.NextRefresh(engine.Current?.Consensus, _time.GetUtcNow(), _random());
                var delay = Task.Delay(wait, _time, cancellationToken);
                ConsensusRefreshScheduled?.Invoke(wait);
                await delay.ConfigureAwait(false);
                try
                {
                    var topology = await engine.FetchAsync(cancellationToken).ConfigureAwait(false);
                    failures = 0;
                    Accepted(topology);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Keep the held consensus (valid until its valid_until) and try again after a backoff.
                    failures++;
                    DirectoryClientLog.ConsensusRefreshFailed(_logger, failures, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Waits until the held consensus is newer than <paramref name="version"/>.</summary>
    private async Task<Topology> WaitNewerConsensusAsync(ConsensusEngine engine, ulong version, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = Volatile.Read(ref _consensusChanged).Task;
            if (engine.Current is { } current && current.Version > version)
            {
                return current;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task StopConsensusRefreshAsync()
    {
        CancellationTokenSource? stop;
        lock (_refreshGate)
        {
            _disposing = true;
            stop = _refreshStop;
        }

        if (stop is not null)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await _refreshLoop.ConfigureAwait(false);
            stop.Dispose();
        }
    }
}
