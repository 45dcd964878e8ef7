using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Hosting;

namespace Mixnet.Directory.Server.Limits;

/// <summary>Caps the long-lived streams open at once, over all callers (per connection, Kestrel's HTTP/2 stream limit applies).</summary>
internal sealed class StreamGate(IOptions<DirectoryOptions> options)
{
    private readonly int _max = options.Value.MaxStreams;
    private int _open;

    public int Open => Volatile.Read(ref _open);

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _open) <= _max)
        {
            return true;
        }

        Interlocked.Decrement(ref _open);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _open);
}
