using Mixnet.Directory.Client;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Cli.Infrastructure;

/// <summary>
/// Node ids as people type them: a full identity key (64 hex digits or base64), or a unique
/// prefix of its hex form such as the 8 digits tables show, resolved against the current topology.
/// </summary>
public static class NodeIds
{
    /// <summary>How many matches an ambiguous prefix lists before "and N more".</summary>
    private const int ListedMatches = 10;

    /// <summary>Whether <paramref name="text"/> is a full key or a hex prefix (1..63 hex digits).</summary>
    public static bool IsValid(string? text) =>
        text is not null && (KeyFingerprint.TryParse(text.Trim(), out _) || IsHexPrefix(text.Trim()));

    /// <summary>The message for <paramref name="name"/> when <see cref="IsValid"/> is false.</summary>
    public static string Invalid(string name, string? text) =>
        $"{name}: '{text}' is neither a node id prefix (hex digits, e.g. the 8 a table shows) nor a 32-byte key (64 hex digits or base64).";

    /// <summary>
    /// The full key <paramref name="text"/> names. A full key is returned as it is unless
    /// <paramref name="mustBeLive"/>; a prefix must match exactly one node of the current topology.
    /// </summary>
    /// <exception cref="BadInputException">No live node matches, or several do.</exception>
    public static async Task<byte[]> ResolveAsync(DirectoryClient client, string text, string address, bool mustBeLive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (KeyFingerprint.TryParse(text, out var key) && !mustBeLive)
        {
            return key;
        }

        var topology = await client.GetTopologyAsync(cancellationToken);
        if (key is { Length: > 0 })
        {
            return topology.Find(key) is not null
                ? key
                : throw new BadInputException($"no node {KeyFingerprint.Abbreviate(key)} in the topology at {address} (version {topology.Version})");
        }

        var prefix = text.ToLowerInvariant();
        var matches = topology.Mixnodes.Concat(topology.Gateways)
            .Where(n => n.IdentityHex.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
        return matches.Count switch
        {
            1 => matches[0].IdentityKey.ToArray(),
            0 => throw new BadInputException($"no node with an id starting with '{prefix}' in the topology at {address} (version {topology.Version})"),
            _ => throw new BadInputException(Ambiguous(prefix, matches)),
        };
    }

    private static string Ambiguous(string prefix, List<NodeInfo> matches)
    {
        var listed = matches.Take(ListedMatches).Select(n => $"{n.IdentityHex} ({n.MixEndpoint})");
        var more = matches.Count > ListedMatches ? $"\n  and {matches.Count - ListedMatches} more" : "";
        return $"the id prefix '{prefix}' matches {matches.Count} nodes; give more digits:\n  {string.Join("\n  ", listed)}{more}";
    }

    private static bool IsHexPrefix(string text) => text.Length is > 0 and < 64 && text.All(char.IsAsciiHexDigit);
}
