using System.Net;

namespace Mixnet.Directory.Server.Limits;

/// <summary>One open stream's places in <see cref="StreamGate"/>; disposing gives them back.</summary>
internal sealed class StreamLease(StreamGate gate, IPAddress client) : IDisposable
{
    private int _disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            gate.Exit(client);
        }
    }
}
