using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Hosting;

namespace Mixnet.Directory.Server.Registry;

/// <summary>
/// <c>Directory:RequireHostMatchesCaller</c>: a node may advertise an IP literal only from that
/// address, and a DNS name only if it resolves to the address it calls from, so nobody can list
/// someone else's machine as a mixnode (and aim clients' traffic at it). Lookups have a short
/// timeout and are cached briefly in a bounded table; they run before the registry's lock.
/// </summary>
internal sealed class HostOwnership(IOptions<DirectoryOptions> options, TimeProvider time)
{
    internal const int MaxCachedNames = 10_000;
    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (IPAddress[] Addresses, long ExpiresTicks)> _names = new(StringComparer.Ordinal);

    public bool Enabled => options.Value.RequireHostMatchesCaller;

    /// <summary>Why <paramref name="caller"/> may not advertise <paramref name="canonicalHost"/>, or null when it may.</summary>
    public async ValueTask<string?> RefusalAsync(string canonicalHost, IPAddress? caller, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return null;
        }

        if (caller is null)
        {
            return "descriptor.host cannot be checked: the caller's address is unknown (Directory:RequireHostMatchesCaller)";
        }

        var from = CanonicalHost.Address(caller);
        if (IPAddress.TryParse(canonicalHost, out var literal))
        {
            return CanonicalHost.Address(literal).Equals(from)
                ? null
                : $"descriptor.host {canonicalHost} is not the address this registration comes from ({from}); a node registers from the address it advertises (Directory:RequireHostMatchesCaller)";
        }

        var addresses = await ResolveAsync(canonicalHost, cancellationToken).ConfigureAwait(false);
        if (addresses is null)
        {
            return $"descriptor.host {canonicalHost} could not be resolved in time (Directory:RequireHostMatchesCaller)";
        }

        foreach (var address in addresses)
        {
            if (CanonicalHost.Address(address).Equals(from))
            {
                return null;
            }
        }

        return $"descriptor.host {canonicalHost} does not resolve to the address this registration comes from ({from}) (Directory:RequireHostMatchesCaller)";
    }

    private async ValueTask<IPAddress[]?> ResolveAsync(string name, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        if (_names.TryGetValue(name, out var cached) && cached.ExpiresTicks > now)
        {
            return cached.Addresses;
        }

        IPAddress[] addresses;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(LookupTimeout);
        try
        {
            addresses = await Dns.GetHostAddressesAsync(name, timeout.Token).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            addresses = [];
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        if (_names.Count >= MaxCachedNames)
        {
            // Bounded: rather than track age, start over (a refill costs one lookup per name).
            _names.Clear();
        }

        _names[name] = (addresses, now + CacheFor.Ticks);
        return addresses;
    }
}
