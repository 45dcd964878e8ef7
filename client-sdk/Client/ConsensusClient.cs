using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mixnet.Directory.Client.Internal;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Client;

/// <summary>
/// The low-level consensus fetch: one call, no background refresh, no watch. Most callers want a
/// <see cref="DirectoryClient"/> with <see cref="DirectoryClientOptions.Authorities"/>, which uses
/// the same engine and adds the refresh before <c>fresh_until</c>, the watch and configuration binding.
/// Verifies at least <see cref="Threshold"/> signatures by distinct pinned authority keys over the
/// exact document bytes, every node's own signature, and the epoch window (with clock-skew
/// tolerance); never goes back to an older epoch. Tries the authorities in turn, starting with the
/// last one that answered. The result is the same <see cref="Topology"/> that
/// <see cref="DirectoryClient.SelectRoute(Topology, Random?)"/> takes; its <see cref="Topology.Version"/> is the epoch.
/// </summary>
public sealed class ConsensusClient : IDisposable
{
    private readonly GrpcChannel[] _channels;
    private readonly ConsensusEngine _engine;

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
        var required = threshold ?? ConsensusVerifier.Threshold(Math.Max(1, keys.Length));
        var sortedKeys = ConsensusVerifier.CheckConfiguration(keys, required);
        var list = addresses.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("At least one authority address is required.", nameof(addresses));
        }

        _channels = [.. list.Select(a => GrpcChannel.ForAddress(a, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 }))];
        _engine = new ConsensusEngine(
            [.. list.Select((a, i) => (a.ToString(), _channels[i].CreateCallInvoker()))],
            sortedKeys,
            required,
            timeProvider ?? TimeProvider.System,
            clockSkew ?? ConsensusVerifier.DefaultClockSkew,
            TimeSpan.FromSeconds(10),
            (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ConsensusClient>());
    }

    /// <summary>Signatures by distinct pinned authorities a consensus needs.</summary>
    public int Threshold => _engine.Threshold;

    /// <summary>The last verified consensus, without asking; null before the first fetch.</summary>
    public Topology? Current => _engine.Current;

    /// <summary>
    /// Fetches the newest consensus from the first authority that gives a valid one (conditional:
    /// an unchanged epoch returns the held topology).
    /// </summary>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    /// <exception cref="TopologyVerificationException">No authority served a consensus that verifies; the reasons are in the message.</exception>
    public Task<Topology> GetTopologyAsync(CancellationToken cancellationToken = default) => _engine.FetchAsync(cancellationToken);

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }
}
