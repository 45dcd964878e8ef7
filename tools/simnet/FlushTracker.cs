using Mixnet.Directory.Client;

namespace Mixnet.Directory.Simnet;

/// <summary>
/// Tells when a node's counts up to some moment have reached the directory, from the metrics
/// stream alone. A report lands in the frame whose window was open when it arrived; the window
/// opened when the previous frame closed. A node's report in a window that opened after the
/// moment arrived after it, and since an agent reports one call at a time, the node's next report
/// in a later window was also <em>taken</em> after it: that one carries every count recorded before.
/// </summary>
public sealed class FlushTracker
{
    private const int ReportsNeeded = 2;
    private readonly Lock _gate = new();
    private readonly Dictionary<ReadOnlyMemory<byte>, List<Waiter>> _pending = new(KeyComparer.Instance);
    private DateTimeOffset _previousEnd = DateTimeOffset.MaxValue;

    /// <summary>The end of the last frame that completed a wait.</summary>
    public DateTimeOffset? LastFlushWindowEnd { get; private set; }

    /// <summary>Completes once the node's counts recorded before <paramref name="since"/> are in frames already seen.</summary>
    public Task WaitAsync(ReadOnlyMemory<byte> identityKey, DateTimeOffset since)
    {
        var waiter = new Waiter(since);
        lock (_gate)
        {
            if (!_pending.TryGetValue(identityKey, out var list))
            {
                list = [];
                _pending.Add(identityKey, list);
            }

            list.Add(waiter);
        }

        return waiter.Done.Task;
    }

    /// <summary>Feeds one frame of an unfiltered metrics stream, in order.</summary>
    public void Observe(MetricsFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        lock (_gate)
        {
            var windowStart = _previousEnd;
            _previousEnd = frame.WindowEnd;
            if (_pending.Count == 0)
            {
                return;
            }

            foreach (var node in frame.Nodes)
            {
                if (!_pending.TryGetValue(node.IdentityKey, out var list))
                {
                    continue;
                }

                list.RemoveAll(w => w.Count(windowStart) && Complete(w, frame.WindowEnd));
                if (list.Count == 0)
                {
                    _pending.Remove(node.IdentityKey);
                }
            }
        }
    }

    private bool Complete(Waiter waiter, DateTimeOffset windowEnd)
    {
        LastFlushWindowEnd = windowEnd;
        waiter.Done.TrySetResult();
        return true;
    }

    private sealed class Waiter(DateTimeOffset since)
    {
        private int _reports;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Counts a report in a window that opened at <paramref name="windowStart"/>; true once enough were seen.</summary>
        public bool Count(DateTimeOffset windowStart)
        {
            if (windowStart != DateTimeOffset.MaxValue && windowStart >= since)
            {
                _reports++;
            }

            return _reports >= ReportsNeeded;
        }
    }
}
