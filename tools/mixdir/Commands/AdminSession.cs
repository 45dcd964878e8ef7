using Grpc.Core;
using Grpc.Net.Client;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>
/// AdminService at the directory's address, with the admin token attached to every call. Owns its
/// channel. Not a record, and the token is no property: nothing here prints it.
/// </summary>
public sealed class AdminSession : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Metadata _headers;
    private readonly TimeSpan _callTimeout;

    private AdminSession(GrpcChannel channel, string token, TimeSpan callTimeout)
    {
        _channel = channel;
        _headers = new Metadata { { "authorization", "Bearer " + token } };
        _callTimeout = callTimeout;
        Client = new AdminService.AdminServiceClient(channel);
    }

    /// <summary>The generated AdminService client; pass <see cref="CallOptions"/> to every call.</summary>
    public AdminService.AdminServiceClient Client { get; }

    /// <summary>Opens a channel to <paramref name="address"/> (http:// or https://, the system's trust store) for calls that carry <paramref name="token"/>.</summary>
    public static AdminSession Open(string address, string token, TimeSpan callTimeout)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(token);
        var channel = GrpcChannel.ForAddress(new Uri(address), new GrpcChannelOptions
        {
            DisposeHttpClient = true,
            MaxReceiveMessageSize = 64 * 1024 * 1024, // a long ban list
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                ConnectTimeout = callTimeout,
            },
        });
        return new AdminSession(channel, token, callTimeout);
    }

    /// <summary>The options of one call: the bearer token, a deadline, and <paramref name="cancellationToken"/>.</summary>
    public CallOptions CallOptions(CancellationToken cancellationToken) =>
        new(_headers, DateTime.UtcNow + _callTimeout, cancellationToken);

    public void Dispose() => _channel.Dispose();
}
