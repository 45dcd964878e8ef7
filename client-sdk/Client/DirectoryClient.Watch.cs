using System.Runtime.CompilerServices;
using Grpc.Core;
using Mixnet.Directory.Client.Internal;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Client;

/// <summary>The topology watch: verified snapshot, contiguous deltas, resumption.</summary>
public sealed partial class DirectoryClient
{
    private const string WatchStream = "Topology watch";
    private const string ConsensusWatch = "Consensus watch";

    /// <summary>
    /// Watches the topology: yields the full verified view first and again after every change.
    /// Verifies every snapshot and delta; when a delta does not follow the current view, discards
    /// the view and asks for a snapshot. Survives dropped connections (backoff, then a re-watch from
    /// the version held) until <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <param name="cancellationToken">Ends the watch.</param>
    /// <remarks>
    /// With <see cref="DirectoryClientOptions.Authorities"/>, yields the verified consensus first and
    /// then each newer epoch the background refresh accepts, as <see cref="TopologyUpdateKind.Snapshot"/>
    /// updates listing what changed; while no authority serves a valid consensus it retries with backoff.
    /// </remarks>
    /// <exception cref="TopologyVerificationException">A snapshot or delta does not verify against the directory key.</exception>
    public IAsyncEnumerable<TopologyUpdate> WatchTopologyAsync(CancellationToken cancellationToken = default) =>
        _consensus is { } consensus ? WatchConsensusAsync(consensus, cancellationToken) : WatchDirectoryAsync(cancellationToken);

    private async IAsyncEnumerable<TopologyUpdate> WatchConsensusAsync(ConsensusEngine consensus, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var failures = 0;
        Topology? held = null;
        while (held is null)
        {
            try
            {
                held = await GetConsensusAsync(consensus, cancellationToken).ConfigureAwait(false);
            }
            catch (TopologyVerificationException ex)
            {
                DirectoryClientLog.ConsensusRefreshFailed(_logger, failures + 1, ex.Message);
                await ReconnectDelayAsync(ConsensusWatch, StatusCode.Unavailable, failures++, cancellationToken).ConfigureAwait(false);
            }
        }

        yield return TopologyView.Difference(null, held);
        while (true)
        {
            var next = await WaitNewerConsensusAsync(consensus, held.Version, cancellationToken).ConfigureAwait(false);
            yield return TopologyView.Difference(held, next);
            held = next;
        }
    }

    private async IAsyncEnumerable<TopologyUpdate> WatchDirectoryAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var failures = 0;
        ReadOnlyMemory<byte> key = default;
        while (key.IsEmpty)
        {
            try
            {
                key = await GetDirectoryKeyAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException ex) when (IsRecoverable(ex, cancellationToken))
            {
                await ReconnectDelayAsync(WatchStream, ex.StatusCode, failures++, cancellationToken).ConfigureAwait(false);
            }
        }

        var view = new TopologyView();
        while (true)
        {
            var resync = false;
            RpcException? error = null;
            using (var call = _topology.WatchTopology(new WatchTopologyRequest { KnownVersion = view.KnownVersion }, cancellationToken: cancellationToken))
            {
                while (true)
                {
                    (var moved, error) = await MoveNextOrDroppedAsync(call.ResponseStream, cancellationToken).ConfigureAwait(false);
                    if (!moved)
                    {
                        break;
                    }

                    var message = call.ResponseStream.Current;
                    var update = Apply(view, message, key);
                    if (update is null && message.UpdateCase == WatchTopologyResponse.UpdateOneofCase.Delta)
                    {
                        resync = true;
                        break;
                    }

                    if (update is null)
                    {
                        continue;
                    }

                    if (failures > 0)
                    {
                        DirectoryClientLog.StreamRecovered(_logger, WatchStream, failures);
                        failures = 0;
                    }

                    Remember(update.Topology, key.Span);
                    yield return update;
                }
            }

            if (resync)
            {
                view.Reset();
                continue;
            }

            await ReconnectDelayAsync(WatchStream, error?.StatusCode, failures++, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Applies one watch message to the view; null for a delta that does not follow it, or an unknown message.</summary>
    private TopologyUpdate? Apply(TopologyView view, WatchTopologyResponse message, ReadOnlyMemory<byte> key)
    {
        switch (message.UpdateCase)
        {
            case WatchTopologyResponse.UpdateOneofCase.Snapshot:
                return view.ApplySnapshot(TopologyVerifier.VerifySnapshot(message.Snapshot, key.Span));
            case WatchTopologyResponse.UpdateOneofCase.Delta:
                var delta = TopologyVerifier.VerifyDelta(message.Delta, key.Span);
                var update = view.TryApplyDelta(delta);
                if (update is null)
                {
                    DirectoryClientLog.WatchResync(_logger, delta.FromVersion, delta.ToVersion, view.KnownVersion);
                }

                return update;
            default:
                return null;
        }
    }

    /// <summary>
    /// The next message of a stream; false at its end, with the error when the connection dropped
    /// in a way a reconnect can cure (anything else propagates). Shared by watch and metrics.
    /// The caller's cancellation comes out as <see cref="OperationCanceledException"/>, not as the
    /// <c>CANCELLED</c> status grpc-dotnet reports by default.
    /// </summary>
    private static async Task<(bool Moved, RpcException? Dropped)> MoveNextOrDroppedAsync<T>(IAsyncStreamReader<T> stream, CancellationToken cancellationToken)
    {
        try
        {
            return (await stream.MoveNext(cancellationToken).ConfigureAwait(false), null);
        }
        catch (RpcException ex) when (IsRecoverable(ex, cancellationToken))
        {
            return (false, ex);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The stream was cancelled.", ex, cancellationToken);
        }
    }

    private static bool IsRecoverable(RpcException ex, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && StatusPolicy.IsTransient(ex.StatusCode);

    private async Task ReconnectDelayAsync(string stream, StatusCode? status, int failures, CancellationToken cancellationToken)
    {
        var delay = Backoff.Delay(failures, _options.ReconnectMinBackoff, _options.ReconnectMaxBackoff, Random.Shared.NextDouble());
        if (status is null)
        {
            DirectoryClientLog.StreamEnded(_logger, stream, delay);
        }
        else if (failures == 0)
        {
            DirectoryClientLog.StreamDropped(_logger, stream, status.Value, delay);
        }
        else
        {
            DirectoryClientLog.StreamStillDown(_logger, stream, status.Value, failures + 1, delay);
        }

        await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
    }
}
