using Grpc.Core;
using Microsoft.Extensions.Logging;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Client.Internal;

/// <summary>
/// The consensus fetch shared by <see cref="ConsensusClient"/> and <see cref="DirectoryClient"/>
/// with authorities: tries the authorities in turn (from the last that answered), accepts only what
/// <see cref="ConsensusMapping.Verify"/> accepts, and never goes back to an older epoch.
/// </summary>
internal sealed class ConsensusEngine
{
    private readonly (string Name, TopologyService.TopologyServiceClient Client)[] _authorities;
    private readonly byte[][] _sortedKeys;
    private readonly TimeProvider _time;
    private readonly TimeSpan _clockSkew;
    private readonly TimeSpan _callTimeout;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private Topology? _current;
    private int _preferred;

    public ConsensusEngine(IReadOnlyList<(string Name, CallInvoker Invoker)> authorities, byte[][] sortedKeys, int threshold, TimeProvider time, TimeSpan clockSkew, TimeSpan callTimeout, ILogger logger)
    {
        if (authorities.Count == 0)
        {
            throw new ArgumentException("At least one authority address is required.", nameof(authorities));
        }

        _authorities = [.. authorities.Select(a => (a.Name, new TopologyService.TopologyServiceClient(a.Invoker)))];
        _sortedKeys = sortedKeys;
        Threshold = threshold;
        _time = time;
        _clockSkew = clockSkew;
        _callTimeout = callTimeout;
        _logger = logger;
    }

    public int Threshold { get; }

    public Topology? Current => Volatile.Read(ref _current);

    /// <summary>The index of the authority asked first next time: the last one that answered.</summary>
    public int Preferred => Volatile.Read(ref _preferred);

    /// <summary>
    /// The newest consensus from the first authority that gives a valid one; an unchanged epoch
    /// (not modified) returns the held topology.
    /// </summary>
    /// <exception cref="TopologyVerificationException">No authority served a consensus that verifies; the reasons are in the message.</exception>
    public async Task<Topology> FetchAsync(CancellationToken cancellationToken)
    {
        var reasons = new List<string>();
        var start = Preferred;
        for (var i = 0; i < _authorities.Length; i++)
        {
            var index = (start + i) % _authorities.Length;
            var (name, client) = _authorities[index];
            try
            {
                var held = Current;
                var response = await UnaryCalls.CallAsync(
                    o => client.GetConsensusAsync(new GetConsensusRequest { KnownEpoch = held?.Version ?? 0 }, o),
                    _callTimeout,
                    _time,
                    cancellationToken).ConfigureAwait(false);
                Topology topology;
                if (response.Consensus is null && held is not null)
                {
                    topology = held;
                }
                else
                {
                    topology = ConsensusMapping.Verify(response.Consensus, _sortedKeys, Threshold, _time.GetUtcNow(), _clockSkew);
                    topology = Keep(topology);
                }

                Volatile.Write(ref _preferred, index);
                return topology;
            }
            catch (RpcException ex)
            {
                reasons.Add($"{name}: {ex.StatusCode} {ex.Status.Detail}");
            }
            catch (TopologyVerificationException ex)
            {
                // A lying, stale or behind authority: try the next one.
                reasons.Add($"{name}: {ex.Message}");
            }

            ConsensusClientLog.AuthorityFailed(_logger, name, reasons[^1]);
        }

        throw new TopologyVerificationException("No authority served a valid consensus: " + string.Join("; ", reasons));
    }

    /// <summary>Holds <paramref name="topology"/> unless a newer epoch is held already (a racing fetch).</summary>
    private Topology Keep(Topology topology)
    {
        lock (_gate)
        {
            var held = _current;
            if (held is not null && topology.Version < held.Version)
            {
                throw new TopologyVerificationException($"epoch {topology.Version} is older than the held epoch {held.Version}");
            }

            if (held is not null && topology.Version == held.Version && topology.Consensus!.Signers <= held.Consensus!.Signers)
            {
                return held;
            }

            Volatile.Write(ref _current, topology);
            return topology;
        }
    }
}
