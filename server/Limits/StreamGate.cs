using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Hosting;

namespace Mixnet.Directory.Server.Limits;

/// <summary>
/// Caps the long-lived streams (WatchTopology, StreamMetrics) open at once: over all callers
/// (<c>Directory:MaxStreams</c>), per client IP or IPv6 /64 (<c>Directory:MaxStreamsPerIp</c>), and the
/// rate one IP may open them at (<c>Directory:RateLimits:StreamOpensPerSecondPerIp</c>), so one
/// address can take at most its share and never lock the others out.
/// </summary>
/// <remarks>
/// The per-IP table holds only addresses with a stream open (an entry leaves with its last
/// stream), so it is bounded by <c>Directory:MaxStreams</c>.
/// </remarks>
internal sealed class StreamGate(IOptions<DirectoryOptions> options, ClientRateLimiter limiter)
{
    private static readonly TimeSpan FullRetry = TimeSpan.FromSeconds(5);
    private readonly int _max = options.Value.MaxStreams;
    private readonly int _maxPerIp = options.Value.RateLimits.Enabled ? options.Value.MaxStreamsPerIp : int.MaxValue;
    private readonly ConcurrentDictionary<IPAddress, int> _perIp = new();
    private int _open;

    public int Open => Volatile.Read(ref _open);

    /// <summary>Addresses holding at least one stream (the per-IP table's size).</summary>
    public int Addresses => _perIp.Count;

    /// <summary>Admits a stream from <paramref name="remote"/> or throws RESOURCE_EXHAUSTED with <c>retry-after</c>.</summary>
    public StreamLease Enter(IPAddress? remote)
    {
        var client = ClientAddress.KeyOf(remote);
        if (!limiter.TryOpenStream(client, out var retryAfter))
        {
            throw GrpcErrors.ResourceExhausted(string.Empty,
                "this address opens streams too fast (Directory:RateLimits:StreamOpensPerSecondPerIp); keep one stream open instead of reopening", retryAfter);
        }

        if (!TryTakeIpShare(client))
        {
            throw GrpcErrors.ResourceExhausted(string.Empty,
                $"this address already has {_maxPerIp} streams open (Directory:MaxStreamsPerIp); close one first", FullRetry);
        }

        if (Interlocked.Increment(ref _open) > _max)
        {
            Interlocked.Decrement(ref _open);
            GiveIpShareBack(client);
            throw GrpcErrors.ResourceExhausted(string.Empty, "the directory has too many open streams (Directory:MaxStreams)", FullRetry);
        }

        return new StreamLease(this, client);
    }

    internal void Exit(IPAddress client)
    {
        Interlocked.Decrement(ref _open);
        GiveIpShareBack(client);
    }

    private bool TryTakeIpShare(IPAddress client)
    {
        while (true)
        {
            if (_perIp.TryGetValue(client, out var count))
            {
                if (count >= _maxPerIp)
                {
                    return false;
                }

                if (_perIp.TryUpdate(client, count + 1, count))
                {
                    return true;
                }
            }
            else if (_perIp.TryAdd(client, 1))
            {
                return true;
            }
        }
    }

    private void GiveIpShareBack(IPAddress client)
    {
        while (_perIp.TryGetValue(client, out var count))
        {
            // The last stream removes the entry (compare-and-remove, so a concurrent Enter that
            // raised the count keeps it), which keeps the table no larger than the open streams.
            if (count <= 1
                ? _perIp.TryRemove(new KeyValuePair<IPAddress, int>(client, count))
                : _perIp.TryUpdate(client, count - 1, count))
            {
                return;
            }
        }
    }
}
