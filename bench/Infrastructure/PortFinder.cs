using System.Net;
using System.Net.Sockets;

namespace Mixnet.Directory.Bench.Infrastructure;

/// <summary>Free loopback ports for the processes the bench starts.</summary>
internal static class PortFinder
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
