using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;

namespace Mixnet.Directory.Tests.Hostile;

/// <summary>
/// Clients that connect from a chosen loopback source address (127.0.0.2, ...), so a test can
/// play a second, innocent caller next to the flooding one on 127.0.0.1.
/// </summary>
public static class LoopbackSource
{
    public static readonly IPAddress Innocent = IPAddress.Parse("127.0.0.2");

    public static SocketsHttpHandler Handler(IPAddress source) => new()
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public static GrpcChannel Channel(Uri address, IPAddress source) =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = Handler(source), DisposeHttpClient = true, MaxReceiveMessageSize = 64 * 1024 * 1024 });
}
