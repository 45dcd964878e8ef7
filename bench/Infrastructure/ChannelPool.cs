using Grpc.Net.Client;

namespace Mixnet.Directory.Bench.Infrastructure;

/// <summary>
/// Several channels to one address, each with its own single HTTP/2 connection
/// (EnableMultipleHttp2Connections=false), so "connections" in the settings is literal.
/// </summary>
internal sealed class ChannelPool : IDisposable
{
    private readonly GrpcChannel[] _channels;

    /// <param name="address">The server's http:// address.</param>
    /// <param name="connections">How many channels, each with one HTTP/2 connection.</param>
    /// <param name="streamWindow">The HTTP/2 receive window of each stream; null keeps SocketsHttpHandler's 64 KiB start (it grows with the measured RTT).</param>
    /// <param name="maxReconnectBackoff">The channel's longest wait between reconnection attempts after the server went away; null keeps Grpc.Net.Client's default (120 s), as the SDK does.</param>
    public ChannelPool(string address, int connections, int? streamWindow = null, TimeSpan? maxReconnectBackoff = null)
    {
        _channels = new GrpcChannel[Math.Max(1, connections)];
        for (var i = 0; i < _channels.Length; i++)
        {
            var options = new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler
                {
                    EnableMultipleHttp2Connections = false,
                    PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                    UseProxy = false,
                    InitialHttp2StreamWindowSize = streamWindow ?? 65_535,
                },
                MaxReceiveMessageSize = 256 * 1024 * 1024,
                MaxSendMessageSize = 16 * 1024 * 1024,
                DisposeHttpClient = true,
            };
            if (maxReconnectBackoff is { } backoff)
            {
                options.InitialReconnectBackoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks, TimeSpan.TicksPerSecond));
                options.MaxReconnectBackoff = backoff;
            }

            _channels[i] = GrpcChannel.ForAddress(address, options);
        }
    }

    public int Count => _channels.Length;

    public GrpcChannel this[long index] => _channels[(int)(index % _channels.Length)];

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }
}
