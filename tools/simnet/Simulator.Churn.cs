using Mixnet.Directory.Client;
using static System.FormattableString;

namespace Mixnet.Directory.Simnet;

/// <summary>Churn: a random node leaves (after its counts reach the directory) and a fresh one takes its role.</summary>
public sealed partial class Simulator
{
    private async Task ChurnOnceAsync(CancellationToken cancellationToken)
    {
        SimNode? leaving;
        DateTimeOffset since;
        lock (_trafficGate)
        {
            var candidates = _active.Values.Where(n => !n.Leaving && n.Agent.State == NodeAgentState.Registered).ToList();
            if (candidates.Count == 0)
            {
                return;
            }

            leaving = candidates[_random.Next(candidates.Count)];
            leaving.Leaving = true;
            since = _time.GetUtcNow(); // No packet through it is counted after this (traffic holds the same lock).
        }

        try
        {
            var joined = await StartNodeAsync(leaving.Role, leaving.Layer, cancellationToken);
            if (leaving.Touched)
            {
                // Leave only once its counts are in, or the directory's sent and received would disagree.
                await _flush.WaitAsync(leaving.IdentityKey, since).WaitAsync(_options.DrainTimeout, _time, cancellationToken);
            }

            _active.TryRemove(leaving.IdentityKey, out _);
            await leaving.DisposeAsync();
            Interlocked.Increment(ref _churned);
            Write(Invariant($"churn: {leaving.Label} left, {joined.Label} joined"));
        }
        catch (TimeoutException)
        {
            Write(Invariant($"warning: churn: {leaving.Label} did not report within {_options.DrainTimeout.TotalSeconds:0} s; it stays until the end"));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the node is still active and is drained and stopped with the others.
        }
    }
}
