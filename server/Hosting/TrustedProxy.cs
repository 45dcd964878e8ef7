using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace Mixnet.Directory.Server.Hosting;

/// <summary>
/// <c>Directory:TrustedProxies</c>: the reverse proxies whose <c>X-Forwarded-For</c> names the real
/// caller, applied by ASP.NET Core's forwarded-headers middleware. Only these are believed (the
/// middleware's loopback defaults are cleared), and the caller is the rightmost address that is
/// not one of them.
/// </summary>
internal static class TrustedProxy
{
    /// <summary>An IP address (one host) or a CIDR network.</summary>
    public static bool TryParse(string? text, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (IPAddress.TryParse(text, out var address) && !text.Contains('/', StringComparison.Ordinal))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(text, out network);
    }

    /// <summary>Uses the forwarded-headers middleware when proxies are configured.</summary>
    public static void UseTrustedProxies(this WebApplication app, DirectoryOptions options)
    {
        if (options.TrustedProxies.Count == 0)
        {
            return;
        }

        var forwarded = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor,
            ForwardLimit = null,
        };
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var proxy in options.TrustedProxies)
        {
            if (TryParse(proxy, out var network))
            {
                forwarded.KnownIPNetworks.Add(network);
            }
        }

        app.UseForwardedHeaders(forwarded);
    }
}
