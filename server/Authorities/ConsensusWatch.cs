using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Authorities;

/// <summary>
/// One consensus watcher: the current consensus first (unless the watcher holds its epoch), then
/// each one published. The queue holds one item and drops the older, so a slow watcher costs one
/// reference and skips to the newest. A consensus published while the watch starts may come twice.
/// </summary>
internal static class ConsensusWatch
{
    public static async IAsyncEnumerable<SignedConsensus> WatchAsync(ConsensusAuthority authority, ulong knownEpoch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var queue = Channel.CreateBounded<SignedConsensus>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        void OnPublished(SignedConsensus consensus) => queue.Writer.TryWrite(consensus);
        authority.Published += OnPublished;
        try
        {
            if (authority.Current is { } current && (knownEpoch == 0 || knownEpoch != authority.CurrentEpoch))
            {
                yield return current;
            }

            await foreach (var consensus in queue.Reader.ReadAllAsync(cancellationToken))
            {
                yield return consensus;
            }
        }
        finally
        {
            authority.Published -= OnPublished;
        }
    }
}
