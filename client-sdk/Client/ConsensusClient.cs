using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mixnet.Directory.Client.Internal;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Client;

/// <summary>
/// Fetches the consensus that a majority of directory authorities signed, so that no single
/// directory can lie to the client. Verifies at least <see cref="Threshold"/> signatures by
/// distinct pinned authority keys over the exact document bytes, every node's own signature, and
/// the epoch window (with clock-skew tolerance); never goes back to an older epoch. Tries the
/// authorities in turn, starting with the last one that answered. The result is the same
/// <see cref="Topology"/> that <see cref="DirectoryClient.SelectRoute(Topology, Random?)"/> takes;
/// its <see cref="Topology.Version"/> is the epoch.
/// </summary>
public sealed class ConsensusClient : IDisposable
{
    private readonly (Uri Address, GrpcChannel Channel, TopologyService.TopologyServiceClient Client)[] _authorities;
    private readonly byte[][] _sortedKeys;
    private readonly TimeProvider _time;
    private readonly TimeSpan _clockSkew;
    private readonly TimeSpan _callTimeout;
    private readonly ILogger _logger;
    private volatile Topology? _current;
    private int _preferred;

    /// <summary>Creates a client for the given authorities.</summary>
    /// <param name="addresses">The authorities' gRPC addresses, tried in turn.</param>
    /// <param name="authorityKeys">The N pinned authority Ed25519 public keys (32 bytes each).</param>
    /// <param name="threshold">Signatures required; defaults to ⌊N/2⌋+1 and may not be lower.</param>
    /// <param name="timeProvider">The clock for the epoch window; the system clock when null.</param>
    /// <param name="clockSkew">Tolerated clock skew; 30 s when null.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <exception cref="ArgumentException">No address, a key that is not 32 bytes, a key given twice, or a threshold that is not a strict majority.</exception>
    public ConsensusClient(IEnumerable<Uri> addresses, IEnumerable<ReadOnlyMemory<byte>> authorityKeys, int? threshold = null, TimeProvider? timeProvider = null, TimeSpan? clockSkew = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(authorityKeys);
        var keys = authorityKeys.Select(k => k.ToArray()).ToArray();
        Threshold = threshold ?? ConsensusVerifier.Threshold(Math.Max(1, keys.Length));
        _sortedKeys = ConsensusVerifier.CheckConfiguration(keys, Threshold);
        _authorities = [.. addresses.Select(a =>
        {
            var channel = GrpcChannel.ForAddress(a, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
            return (a, channel, new TopologyService.TopologyServiceClient(channel));
        })];
        if (_authorities.Length == 0)
        {
            throw new ArgumentException("At least one authority address is required.", nameof(addresses));
        }

        _time = timeProvider ?? TimeProvider.System;
        _clockSkew = clockSkew ?? ConsensusVerifier.DefaultClockSkew;
        _callTimeout = TimeSpan.FromSeconds(10);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ConsensusClient>();
    }

    /// <summary>Signatures by distinct pinned authorities a consensus needs.</summary>
    public int Threshold { get; }

    /// <summary>The last verified consensus, without asking; null before the first fetch.</summary>
    public Topology? Current => _current;

    /// <summary>
    /// Fetches the newest consensus from the first authority that gives a valid one (conditional:
    /// an unchanged epoch returns the held topology).
    /// </summary>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    /// <exception cref="TopologyVerificationException">No authority served a consensus that verifies; the reasons are in the message.</exception>
    public async Task<Topology> GetTopologyAsync(CancellationToken cancellationToken = default)
    {
        var reasons = new List<string>();
        var start = Volatile.Read(ref _preferred);
        for (var i = 0; i < _authorities.Length; i++)
        {
            var index = (start + i) % _authorities.Length;
            var (address, _, client) = _authorities[index];
            try
            {
                var held = _current;
                var response = await client.GetConsensusAsync(
                    new GetConsensusRequest { KnownEpoch = held?.Version ?? 0 },
                    deadline: _time.GetUtcNow().UtcDateTime + _callTimeout,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                if (response.Consensus is null && held is not null)
                {
                    Volatile.Write(ref _preferred, index);
                    return held;
                }

                var topology = ConsensusMapping.Verify(response.Consensus, _sortedKeys, Threshold, _time.GetUtcNow(), _clockSkew);
                if (held is not null && topology.Version < held.Version)
                {
                    throw new TopologyVerificationException($"epoch {topology.Version} is older than the held epoch {held.Version}");
                }

                _current = topology;
                Volatile.Write(ref _preferred, index);
                return topology;
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                reasons.Add($"{address}: {ex.StatusCode} {ex.Status.Detail}");
            }
            catch (TopologyVerificationException ex)
            {
                // A lying or stale authority: try the next one.
                reasons.Add($"{address}: {ex.Message}");
            }

            ConsensusClientLog.AuthorityFailed(_logger, address, reasons[^1]);
        }

        throw new TopologyVerificationException("No authority served a valid consensus: " + string.Join("; ", reasons));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var authority in _authorities)
        {
            authority.Channel.Dispose();
        }
    }
}
