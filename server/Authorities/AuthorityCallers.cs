using System.Net;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Hosting;
using IPNetwork = System.Net.IPNetwork;

namespace Mixnet.Directory.Server.Authorities;

/// <summary>
/// Which callers may send AuthorityService requests up to <see cref="AuthorityOptions.MaxVoteBytes"/>:
/// the resolved addresses of the configured authorities, plus <see cref="AuthorityOptions.AuthorityNetworks"/>.
/// Everyone else gets <see cref="AuthorityOptions.MaxOtherCallerBytes"/>, so a stranger cannot make
/// the server buffer and parse a 32 MB message before its signature is checked. Host names are
/// resolved in the background and again every few minutes; until they resolve, a peer named by
/// host is treated as a stranger (its vote still counts: it is fetched from the peer).
/// </summary>
internal sealed class AuthorityCallers
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMinutes(5);

    private readonly string[] _hosts;
    private readonly IPNetwork[] _networks;
    private readonly HashSet<IPAddress> _literal;
    private readonly TimeProvider _time;
    private readonly ILogger<AuthorityCallers> _logger;
    private HashSet<IPAddress> _addresses;
    private long _resolvedAtTicks = long.MinValue;
    private int _resolving;

    public AuthorityCallers(AuthoritySet set, IOptions<AuthorityOptions> options, TimeProvider time, ILogger<AuthorityCallers> logger)
    {
        _time = time;
        _logger = logger;
        var literal = new HashSet<IPAddress>();
        var hosts = new List<string>();
        foreach (var peer in set.All)
        {
            if (IPAddress.TryParse(peer.Address.IdnHost, out var ip))
            {
                literal.Add(Normalize(ip));
            }
            else
            {
                hosts.Add(peer.Address.IdnHost);
            }
        }

        _hosts = [.. hosts];
        _literal = literal;
        _addresses = literal;
        var networks = new List<IPNetwork>();
        for (var i = 0; i < options.Value.AuthorityNetworks.Count; i++)
        {
            networks.Add(TrustedProxy.TryParse(options.Value.AuthorityNetworks[i], out var network)
                ? network
                : throw new OptionsValidationException("Directory:AuthorityNetworks", typeof(AuthorityOptions),
                    [$"Directory:AuthorityNetworks:{i} must be an IP address or a CIDR network, e.g. 203.0.113.7 or 2001:db8::/48"]));
        }

        _networks = [.. networks];
        ResolveWhenStale();
    }

    /// <summary>True when <paramref name="remote"/> is a configured authority's address or in <see cref="AuthorityOptions.AuthorityNetworks"/>.</summary>
    public bool IsAuthority(IPAddress? remote)
    {
        if (remote is null)
        {
            return false;
        }

        ResolveWhenStale();
        var ip = Normalize(remote);
        if (Volatile.Read(ref _addresses).Contains(ip))
        {
            return true;
        }

        foreach (var network in _networks)
        {
            if (network.Contains(ip))
            {
                return true;
            }
        }

        return false;
    }

    private static IPAddress Normalize(IPAddress ip) => ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;

    private void ResolveWhenStale()
    {
        var now = _time.GetUtcNow().UtcTicks;
        if (_hosts.Length == 0 || now - Volatile.Read(ref _resolvedAtTicks) < Refresh.Ticks || Interlocked.Exchange(ref _resolving, 1) == 1)
        {
            return;
        }

        Volatile.Write(ref _resolvedAtTicks, now);
        _ = Task.Run(async () =>
        {
            try
            {
                var resolved = new HashSet<IPAddress>(_literal);
                foreach (var host in _hosts)
                {
                    try
                    {
                        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                        foreach (var ip in await Dns.GetHostAddressesAsync(host, timeout.Token))
                        {
                            resolved.Add(Normalize(ip));
                        }
                    }
                    catch (Exception ex) when (ex is System.Net.Sockets.SocketException or OperationCanceledException)
                    {
                        AuthorityLog.UnresolvedPeer(_logger, host, ex.Message);
                    }
                }

                Volatile.Write(ref _addresses, resolved);
            }
            finally
            {
                Volatile.Write(ref _resolving, 0);
            }
        });
    }
}
