namespace Mixnet.Directory.Client;

/// <summary>Start, stop (last reports and deregistration at every directory at once) and dispose.</summary>
public sealed partial class NodeAgent
{
    /// <summary>
    /// Starts registering and heartbeating in the background. Returns at once; the directories need not
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
                foreach (var link in _links)
                {
                    link.Reset(_options.ReportMetrics);
                }

                _completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref _registered, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                SetAgentState(NodeAgentState.Starting);
            }

            _stopping = new CancellationTokenSource();
            var token = _stopping.Token;
            var loops = new List<Task>();
            foreach (var link in _links)
            {
                loops.Add(Task.Run(() => RunLoopAsync(t => RunPresenceAsync(link, t), token), CancellationToken.None));
                loops.Add(Task.Run(() => RunLoopAsync(t => RunMetricsAsync(link, t), token), CancellationToken.None));
            }

            _loops = Task.WhenAll(loops);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Completes when the agent is registered with at least one directory: at once if it is now,
    /// else at the next registration. Throws when the agent fails for good or stops first.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    public Task WaitUntilRegisteredAsync(CancellationToken cancellationToken = default) =>
        Volatile.Read(ref _registered).Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Stops the loops, then for every directory at once: reports the packets counted since its
    /// last report, and deregisters (both best effort, each bounded by
    /// <see cref="NodeAgentOptions.DeregisterTimeout"/>). The last report waits for its turn
    /// (<c>next_report_in</c>) when that comes within the same bound.
    /// </summary>
    /// <param name="cancellationToken">Abandons the last reports and the deregistrations.</param>
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

            DistributeCounts();
            await Task.WhenAll(_links.Select(link => LeaveAsync(link, cancellationToken))).ConfigureAwait(false);
            if (_state != NodeAgentState.Failed)
            {
                SetAgentState(NodeAgentState.Stopped);
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
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }

    /// <summary>One directory's part of a stop: the last report, then the deregistration.</summary>
    private async Task LeaveAsync(DirectoryLink link, CancellationToken cancellationToken)
    {
        var lease = link.Lease;
        if (lease is not null)
        {
            await ReportFinalMetricsAsync(link, cancellationToken).ConfigureAwait(false);
        }

        link.Lease = null;
        if (lease is not null)
        {
            await DeregisterAsync(link, lease, cancellationToken).ConfigureAwait(false);
        }

        if (link.State != NodeAgentState.Failed)
        {
            SetLinkState(link, NodeAgentState.Stopped);
        }
    }

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
}
