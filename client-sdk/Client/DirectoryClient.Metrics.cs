using System.Runtime.CompilerServices;
using Google.Protobuf;
using Grpc.Core;
using Mixnet.Directory.Client.Internal;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Client;

/// <summary>The metrics subscription.</summary>
public sealed partial class DirectoryClient
{
    private const string MetricsStream = "Metrics";

    /// <summary>
    /// Streams one <see cref="MetricsFrame"/> per metrics window, starting with up to
    /// <paramref name="replayFrames"/> recent frames. Reconnects after a dropped connection and
    /// skips frames it already yielded, until <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <param name="filter">Identity keys to report per node; empty or null for all nodes. Network totals are always network-wide.</param>
    /// <param name="replayFrames">How many recent frames to send first (the directory bounds it).</param>
    /// <param name="cancellationToken">Ends the subscription.</param>
    public async IAsyncEnumerable<MetricsFrame> StreamMetricsAsync(
        IEnumerable<byte[]>? filter = null,
        uint replayFrames = 0,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = new StreamMetricsRequest { ReplayFrames = replayFrames };
        foreach (var key in filter ?? [])
        {
            request.IdentityKeys.Add(ByteString.CopyFrom(key));
        }

        var last = DateTimeOffset.MinValue;
        var failures = 0;
        while (true)
        {
            RpcException? error = null;
            using (var call = _metrics.StreamMetrics(request, cancellationToken: cancellationToken))
            {
                while (true)
                {
                    (var moved, error) = await MoveNextOrDroppedAsync(call.ResponseStream, cancellationToken).ConfigureAwait(false);
                    if (!moved)
                    {
                        break;
                    }

                    var frame = ProtoMapping.ToMetricsFrame(call.ResponseStream.Current);
                    if (frame.WindowEnd <= last)
                    {
                        continue; // Replayed after a reconnect: already yielded.
                    }

                    last = frame.WindowEnd;
                    if (failures > 0)
                    {
                        DirectoryClientLog.StreamRecovered(_logger, MetricsStream, failures);
                        failures = 0;
                    }

                    yield return frame;
                }
            }

            await ReconnectDelayAsync(MetricsStream, error?.StatusCode, failures++, cancellationToken).ConfigureAwait(false);
        }
    }
}
