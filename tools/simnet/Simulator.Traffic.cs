using Mixnet.Directory.Client;
using static System.FormattableString;

namespace Mixnet.Directory.Simnet;

/// <summary>The traffic loop: a batch of packets per tick, along routes from the directory's topology.</summary>
public sealed partial class Simulator
{
    /// <summary>Random routes tried before falling back to a route that excludes unusable nodes explicitly.</summary>
    private const int RouteAttempts = 8;

    private readonly SimNode[] _hops = new SimNode[5];
    private long _unroutable;

    private async Task RunTrafficAsync(List<Task> churns, CancellationToken cancellationToken)
    {
        using var duration = _options.Duration is { } limit ? new CancellationTokenSource(limit, _time) : new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, duration.Token);
        using var timer = new PeriodicTimer(_options.Tick, _time);
        Write(Invariant($"sending {_options.Rate:0.#} packets/s along random routes")
            + (_options.Duration is { } d ? Invariant($" for {d.TotalSeconds:0.#} s") : " until Ctrl+C")
            + (_options.Churn > TimeSpan.Zero ? Invariant($", one node churning every {_options.Churn.TotalSeconds:0.#} s") : ""));
        var last = _time.GetTimestamp();
        _lastStatusAt = Elapsed;
        var credit = 0.0;
        var nextStatus = Elapsed + _options.StatusInterval;
        var nextChurn = Elapsed + _options.Churn;
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                var now = _time.GetTimestamp();
                // Catch up after a stall, but by one second's worth at most.
                credit = Math.Min(credit + (_options.Rate * _time.GetElapsedTime(last, now).TotalSeconds), Math.Max(1, _options.Rate));
                last = now;
                var count = (long)credit;
                if (_options.MaxPackets is { } max)
                {
                    count = Math.Min(count, max - Packets);
                }

                credit -= count;
                SendPackets(count);
                if (_options.MaxPackets is { } cap && Packets >= cap)
                {
                    break;
                }

                if (Elapsed >= nextStatus)
                {
                    WriteStatus();
                    nextStatus += _options.StatusInterval;
                }

                if (_options.Churn > TimeSpan.Zero && Elapsed >= nextChurn)
                {
                    churns.Add(ChurnOnceAsync(stop.Token));
                    nextChurn += _options.Churn;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        WriteStatus();
    }

    /// <summary>Sends <paramref name="count"/> packets; each link counted by its sender (next hop) and its receiver.</summary>
    private void SendPackets(long count)
    {
        var topology = _topology;
        if (topology is null || count <= 0)
        {
            return;
        }

        long sent = 0;
        lock (_trafficGate)
        {
            for (long i = 0; i < count; i++)
            {
                if (!TryPickRoute(topology))
                {
                    Interlocked.Add(ref _unroutable, count - i);
                    break;
                }

                for (var hop = 0; hop < _hops.Length - 1; hop++)
                {
                    var from = _hops[hop];
                    var to = _hops[hop + 1];
                    if (hop > 0 && from.IsDropper && _random.NextDouble() < _options.DropRate)
                    {
                        break; // dropped by a mixnode that should have forwarded it
                    }

                    from.RecordSent(to);
                    if (_options.LinkLoss > 0 && _random.NextDouble() < _options.LinkLoss)
                    {
                        break; // lost on the link
                    }

                    to.RecordReceived(from);
                }

                sent++;
            }
        }

        Interlocked.Add(ref _packets, sent);
    }

    /// <summary>Fills <see cref="_hops"/> with a random route of nodes this simulator runs and that are not leaving.</summary>
    private bool TryPickRoute(Topology topology)
    {
        try
        {
            return TryPickRouteCore(topology);
        }
        catch (InvalidOperationException)
        {
            return false; // A layer has no usable node (yet).
        }
    }

    private bool TryPickRouteCore(Topology topology)
    {
        for (var attempt = 0; attempt < RouteAttempts; attempt++)
        {
            if (TryResolve(DirectoryClient.SelectRoute(topology, _random)))
            {
                return true;
            }
        }

        // Many nodes in the topology are not usable (others' nodes, or leaving): exclude them by name.
        var excluded = topology.Mixnodes.Concat(topology.Gateways)
            .Where(n => !_active.TryGetValue(n.IdentityKey, out var node) || node.Leaving)
            .Select(n => n.IdentityKey)
            .ToList();
        return TryResolve(DirectoryClient.SelectRoute(topology, _random, excluded));
    }

    private bool TryResolve(Route route)
    {
        var hops = route.Hops;
        for (var i = 0; i < hops.Count; i++)
        {
            if (!_active.TryGetValue(hops[i].IdentityKey, out var node) || node.Leaving)
            {
                return false;
            }

            _hops[i] = node;
        }

        return true;
    }
}
