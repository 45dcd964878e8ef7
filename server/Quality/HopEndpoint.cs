using System.Globalization;
using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Server.Quality;

/// <summary>
/// Reads a metrics hop key (<c>host:port</c>, IPv6 in brackets) into the registry's endpoint form:
/// the canonical host without brackets (<see cref="CanonicalHost"/>), as the registry keeps it. So
/// <c>[2001:DB8::1]:1789</c> and <c>[2001:db8::1]:1789</c> name the same node.
/// </summary>
internal static class HopEndpoint
{
    public static bool TryParse(string hop, out EndpointKey endpoint)
    {
        endpoint = default;
        var colon = hop.LastIndexOf(':');
        if (colon <= 0 || colon == hop.Length - 1)
        {
            return false;
        }

        if (!uint.TryParse(hop.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is 0 or > 65535)
        {
            return false;
        }

        var host = hop.AsSpan(0, colon);
        if (host[0] == '[')
        {
            if (host.Length < 3 || host[^1] != ']')
            {
                return false;
            }

            host = host[1..^1];
        }
        else if (host.Contains(':'))
        {
            return false; // An IPv6 literal without brackets: the port is ambiguous.
        }

        endpoint = new EndpointKey(CanonicalHost.Of(host.ToString()), port);
        return true;
    }
}
