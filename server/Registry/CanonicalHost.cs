using System.Net;
using System.Net.Sockets;
using Mixnet.Directory.Validation;

namespace Mixnet.Directory.Server.Registry;

/// <summary>
/// The one form of a descriptor's host that the directory compares, counts and publishes, so
/// <c>::1</c> and <c>0:0:0:0:0:0:0:1</c>, <c>::ffff:127.0.0.1</c> and <c>127.0.0.1</c>,
/// <c>Example.COM.</c> and <c>example.com</c> are one endpoint. The form is the shared
/// <see cref="HostRules"/>' (the SDK and the descriptor rules use the same), and nothing else in
/// the server parses hosts.
/// </summary>
internal static class CanonicalHost
{
    /// <summary>The canonical form of a host that already passed the descriptor's field rules.</summary>
    public static string Of(string host) =>
        HostRules.Canonicalize(host) ?? host.ToLowerInvariant().TrimEnd('.');

    /// <summary>
    /// Why a host may not be advertised (no node can be reached at an unspecified, broadcast or
    /// multicast address), or null when it may. Takes the canonical form.
    /// </summary>
    public static string? Refusal(string canonical)
    {
        if (!IPAddress.TryParse(canonical, out var address))
        {
            return null;
        }

        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return "descriptor.host must not be the unspecified address";
        }

        if (address.Equals(IPAddress.Broadcast))
        {
            return "descriptor.host must not be the broadcast address";
        }

        var multicast = address.AddressFamily == AddressFamily.InterNetwork
            ? (address.GetAddressBytes()[0] & 0xF0) == 0xE0
            : address.IsIPv6Multicast;
        return multicast ? "descriptor.host must not be a multicast address" : null;
    }

    /// <summary>An address with IPv4-mapped IPv6 folded to IPv4, as callers and hosts are compared.</summary>
    public static IPAddress Address(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
