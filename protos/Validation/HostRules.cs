using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Mixnet.Directory.Validation;

/// <summary>
/// Which hosts a node may announce, and the one spelling of each. Two descriptors name the same
/// machine exactly when their canonical hosts are equal, so the directory compares canonical
/// hosts (one identity per endpoint, identities per host), never the text as sent.
/// </summary>
/// <remarks>
/// Canonical forms: IPv4 as a dotted quad without leading zeros; IPv6 as RFC 5952 text (lower
/// case, no leading zeros, the longest run of two or more zero groups written <c>::</c>); an
/// IPv4-mapped IPv6 address as the IPv4 address it maps; a DNS name in lower case without its
/// trailing dot. Refused: brackets (clients add them when dialing), zone ids (they mean nothing
/// off the host), non-ASCII names (send the punycode <c>xn--</c> form), and addresses no node can
/// be reached at: unspecified (<c>0.0.0.0/8</c>, <c>::</c>), broadcast and multicast.
/// </remarks>
public static partial class HostRules
{
    /// <summary>The field name errors carry unless the caller names another.</summary>
    public const string DefaultField = "descriptor.host";

    // "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255" is the longest IPv6 text without a zone.
    private const int MaxIpv6Length = 45;

    /// <summary>
    /// Checks a host and writes its canonical form, or says why it is refused.
    /// </summary>
    /// <param name="host">The host as a node sent it.</param>
    /// <param name="canonical">The canonical host when accepted, otherwise null.</param>
    /// <param name="error">Why the host is refused, otherwise null.</param>
    /// <param name="field">The field name the error carries.</param>
    /// <returns>Whether the host is acceptable.</returns>
    public static bool TryCanonicalize(
        string? host,
        [NotNullWhen(true)] out string? canonical,
        [NotNullWhen(false)] out FieldError? error,
        string field = DefaultField)
    {
        canonical = null;
        error = null;
        if (string.IsNullOrEmpty(host) || host.Length > DescriptorLimits.MaxHostLength)
        {
            error = new(field, $"must be an IP literal or a DNS name of 1..{DescriptorLimits.MaxHostLength} characters");
            return false;
        }

        if (host.Contains(':', StringComparison.Ordinal) || host.Contains('[', StringComparison.Ordinal) || host.Contains(']', StringComparison.Ordinal))
        {
            return TryIpv6(host, out canonical, out error, field);
        }

        if (Ipv4().IsMatch(host))
        {
            // The regex admits 256..999 in a part; the parser refuses those. [0-9], not \d: \d is any Unicode digit.
            if (!IPAddress.TryParse(host, out var v4) || v4.AddressFamily != AddressFamily.InterNetwork)
            {
                error = new(field, "is not a valid IPv4 address");
                return false;
            }

            return Accept(v4, out canonical, out error, field);
        }

        // A name that is all digits and dots but not a dotted quad, or whose labels look like hex
        // numbers (0x7f.0.0.1), would be read as an address by inet_aton-style resolvers.
        if (!DnsName().IsMatch(host) || NumericLookingName().IsMatch(host))
        {
            error = new(field, $"must be an IP literal or an ASCII DNS name (letters, digits, hyphens; punycode for other scripts) of at most {DescriptorLimits.MaxHostLength} characters");
            return false;
        }

        var name = host.EndsWith('.') ? host[..^1] : host;
        canonical = name.ToLowerInvariant();
        return true;
    }

    /// <summary>The canonical form of a host, or null when <see cref="TryCanonicalize"/> refuses it.</summary>
    /// <param name="host">The host as a node sent it.</param>
    public static string? Canonicalize(string? host) =>
        TryCanonicalize(host, out var canonical, out _) ? canonical : null;

    private static bool TryIpv6(string host, out string? canonical, out FieldError? error, string field)
    {
        canonical = null;
        if (host.Contains('[', StringComparison.Ordinal) || host.Contains(']', StringComparison.Ordinal))
        {
            error = new(field, "an IPv6 literal is written without brackets");
            return false;
        }

        if (host.Contains('%', StringComparison.Ordinal))
        {
            error = new(field, "an IPv6 literal may not carry a zone id");
            return false;
        }

        // IPAddress.TryParse is lenient (it takes ports, scopes, brackets and surrounding text in
        // some forms); only hex digits, colons and an embedded dotted quad reach it.
        if (host.Length > MaxIpv6Length || !Ipv6Text().IsMatch(host) || !EmbeddedIpv4IsStrict(host)
            || !IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
        {
            error = new(field, "is not a valid IPv6 address");
            return false;
        }

        return Accept(v6.IsIPv4MappedToIPv6 ? v6.MapToIPv4() : v6, out canonical, out error, field);
    }

    // A dotted quad may only end an IPv6 literal, and only without leading zeros: "::ffff:010.0.0.1"
    // would otherwise be read as 10.0.0.1 here and as 8.0.0.1 elsewhere.
    private static bool EmbeddedIpv4IsStrict(string host)
    {
        var lastColon = host.LastIndexOf(':');
        var firstDot = host.IndexOf('.', StringComparison.Ordinal);
        return firstDot < 0 || (firstDot > lastColon && Ipv4().IsMatch(host.AsSpan(lastColon + 1)));
    }

    private static bool Accept(IPAddress address, out string? canonical, out FieldError? error, string field)
    {
        canonical = null;
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        bytes = bytes[..written];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            if (bytes[0] == 0)
            {
                error = new(field, "0.0.0.0/8 (unspecified, \"this network\") is no address a node can be reached at");
                return false;
            }

            if (bytes[0] is >= 224 and <= 239)
            {
                error = new(field, "a multicast address (224.0.0.0/4) is no address of one node");
                return false;
            }

            if (address.Equals(IPAddress.Broadcast))
            {
                error = new(field, "the broadcast address 255.255.255.255 is no address of one node");
                return false;
            }

            error = null;
            canonical = $"{bytes[0]}.{bytes[1]}.{bytes[2]}.{bytes[3]}";
            return true;
        }

        if (address.Equals(IPAddress.IPv6Any))
        {
            error = new(field, "the unspecified address :: is no address a node can be reached at");
            return false;
        }

        if (bytes[0] == 0xff)
        {
            error = new(field, "a multicast address (ff00::/8) is no address of one node");
            return false;
        }

        error = null;
        canonical = FormatIpv6(bytes);
        return true;
    }

    /// <summary>RFC 5952 §4 text: hex groups without leading zeros, longest zero run (first on a tie, two groups or more) as <c>::</c>.</summary>
    private static string FormatIpv6(ReadOnlySpan<byte> bytes)
    {
        Span<ushort> groups = stackalloc ushort[8];
        for (var i = 0; i < 8; i++)
        {
            groups[i] = (ushort)((bytes[2 * i] << 8) | bytes[(2 * i) + 1]);
        }

        int bestStart = -1, bestLength = 0;
        for (var i = 0; i < 8;)
        {
            if (groups[i] != 0)
            {
                i++;
                continue;
            }

            var start = i;
            while (i < 8 && groups[i] == 0)
            {
                i++;
            }

            if (i - start > bestLength)
            {
                bestStart = start;
                bestLength = i - start;
            }
        }

        if (bestLength < 2)
        {
            bestStart = -1;
        }

        var text = new System.Text.StringBuilder(39);
        for (var i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                text.Append("::");
                i += bestLength - 1;
                continue;
            }

            if (i > 0 && text.Length > 0 && text[^1] != ':')
            {
                text.Append(':');
            }

            text.Append(groups[i].ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    // No leading zeros: "010.0.0.1" is 10.0.0.1 to some parsers and 8.0.0.1 to others.
    [GeneratedRegex(@"^(?:0|[1-9][0-9]{0,2})(?:\.(?:0|[1-9][0-9]{0,2})){3}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4();

    [GeneratedRegex(@"^[0-9a-fA-F:.]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv6Text();

    [GeneratedRegex(@"^(?=.{1,253}\z)([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?\z", RegexOptions.CultureInvariant)]
    private static partial Regex DnsName();

    [GeneratedRegex(@"^(?:0[xX][0-9a-fA-F]*|[0-9]+)(?:\.(?:0[xX][0-9a-fA-F]*|[0-9]+))*\.?\z", RegexOptions.CultureInvariant)]
    private static partial Regex NumericLookingName();
}
