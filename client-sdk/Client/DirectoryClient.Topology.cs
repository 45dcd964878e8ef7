using Microsoft.Extensions.Caching.Memory;
using Mixnet.Directory.Client.Internal;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Client;

/// <summary>Verified topology fetch with a conditional refresh.</summary>
public sealed partial class DirectoryClient
{
    /// <summary>The last verified topology this client holds, without asking the directory; null before the first fetch.</summary>
    public Topology? CachedTopology => _consensus is { } consensus
        ? consensus.Current
        : _cacheKey is { } key && _cache.TryGetValue(key, out Topology? topology) ? topology : null;

    /// <summary>
    /// Fetches the current topology and verifies the directory's signature. Sends the cached
    /// version, so an unchanged topology costs one small round trip and returns the cached copy.
    /// With <see cref="DirectoryClientOptions.Authorities"/>: the consensus, accepted only with
    /// <see cref="DirectoryClientOptions.AuthorityThreshold"/> distinct valid pinned signatures over the
    /// same bytes, a current epoch and valid node signatures, never older than the one held; asked
    /// of each authority in turn from the last that answered; from then on refreshed in the
    /// background shortly before its <c>fresh_until</c>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="TopologyVerificationException">The signature does not verify against the directory key; with authorities, no authority served a consensus that verifies.</exception>
    public async Task<Topology> GetTopologyAsync(CancellationToken cancellationToken = default)
    {
        if (_consensus is { } consensus)
        {
            return await GetConsensusAsync(consensus, cancellationToken).ConfigureAwait(false);
        }

        var key = await GetDirectoryKeyAsync(cancellationToken).ConfigureAwait(false);
        var cached = CachedTopology;
        var response = await UnaryAsync(o => _topology.GetTopologyAsync(new GetTopologyRequest { KnownVersion = cached?.Version ?? 0 }, o), cancellationToken).ConfigureAwait(false);
        if (response.Topology is null && cached is not null)
        {
            DirectoryClientLog.NotModified(_logger, cached.Version);
            return cached;
        }

        if (response.Topology is null)
        {
            response = await UnaryAsync(o => _topology.GetTopologyAsync(new GetTopologyRequest(), o), cancellationToken).ConfigureAwait(false);
        }

        var topology = ProtoMapping.ToTopology(TopologyVerifier.VerifySnapshot(response.Topology, key.Span));
        Remember(topology, key.Span);
        return topology;
    }

    private void Remember(Topology topology, ReadOnlySpan<byte> directoryKey)
    {
        _cacheKey ??= "mixnet-directory/topology|" + _addressText + "|" + KeyFingerprint.Hex(directoryKey);
        if (CachedTopology is { } current && current.Version > topology.Version)
        {
            return;
        }

        _cache.Set(_cacheKey, topology, new MemoryCacheEntryOptions { Size = 1 });
    }
}
