using Mixnet.Directory.Bench.Infrastructure;
using Mixnet.Directory.Bench.Nodes;

namespace Mixnet.Directory.Bench;

/// <summary>A running directory with registered nodes and channels to it.</summary>
internal sealed record CoreServer(ServerProcess Server, ChannelPool Channels, ChannelPool BulkChannels, BenchNode[] Nodes, ulong Version) : IDisposable
{
    public void Dispose()
    {
        Channels.Dispose();
        BulkChannels.Dispose();
        Server.Dispose();
    }
}
