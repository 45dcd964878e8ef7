using static System.FormattableString;

namespace Mixnet.Directory.Simnet;

/// <summary>The end of a run: no more packets, every node's last counts reported, every agent stopped.</summary>
public sealed partial class Simulator
{
    /// <returns>Whether every node that counted packets reported its last counts in time.</returns>
    private async Task<bool> ShutdownAsync(List<Task> churns)
    {
        DateTimeOffset since;
        lock (_trafficGate)
        {
            since = _time.GetUtcNow(); // The traffic loop has ended: nothing is counted after this.
        }

        try
        {
            await Task.WhenAll(churns);
        }
        catch (OperationCanceledException)
        {
        }

        var touched = _active.Values.Where(n => n.Touched).ToList();
        var drained = true;
        if (touched.Count > 0)
        {
            Write(Invariant($"waiting for {touched.Count} nodes to report their last counts"));
            try
            {
                await Task.WhenAll(touched.Select(n => _flush.WaitAsync(n.IdentityKey, since))).WaitAsync(_options.DrainTimeout, _time);
            }
            catch (TimeoutException)
            {
                drained = false;
                Write(Invariant($"warning: not every node reported within {_options.DrainTimeout.TotalSeconds:0} s; the directory's totals may fall short"));
            }
        }

        await StopAgentsAsync();
        return drained;
    }
}
