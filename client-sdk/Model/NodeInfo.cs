using System.Globalization;
using System.Text;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Client;

/// <summary>
/// A node as the directory publishes it. Two values are equal when every field is. Prints its keys
/// as their first 8 hex digits; <see cref="IdentityHex"/> has the whole identity key.
/// </summary>
/// <param name="IdentityKey">The node's Ed25519 public key (32 bytes), its id.</param>
/// <param name="SphinxKey">The node's X25519 public key (32 bytes) that packets are encrypted to.</param>
/// <param name="Role">Mixnode or gateway.</param>
/// <param name="Layer">1..3 for mixnodes, 0 for gateways.</param>
/// <param name="Host">An IP literal or DNS name.</param>
/// <param name="MixPort">The port other nodes send packets to.</param>
/// <param name="ClientPort">The port clients connect to (gateways only, 0 for mixnodes).</param>
/// <param name="Version">The node software's semantic version.</param>
/// <param name="Location">Free text, for example a country.</param>
/// <param name="SignedAt">When the node signed its descriptor.</param>
public sealed record NodeInfo(
    ReadOnlyMemory<byte> IdentityKey,
    ReadOnlyMemory<byte> SphinxKey,
    NodeRole Role,
    int Layer,
    string Host,
    int MixPort,
    int ClientPort,
    string Version,
    string Location,
    DateTimeOffset SignedAt)
{
    /// <summary>The identity key as lower-case hex, the way logs and tools print it.</summary>
    public string IdentityHex => KeyFingerprint.Hex(IdentityKey.Span);

    /// <summary><c>host:mix_port</c>, with IPv6 literals in brackets: the next-hop key of metrics.</summary>
    public string MixEndpoint => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{MixPort}" : $"{Host}:{MixPort}";

    /// <inheritdoc/>
    public bool Equals(NodeInfo? other) =>
        other is not null
        && IdentityKey.Span.SequenceEqual(other.IdentityKey.Span)
        && SphinxKey.Span.SequenceEqual(other.SphinxKey.Span)
        && Role == other.Role
        && Layer == other.Layer
        && MixPort == other.MixPort
        && ClientPort == other.ClientPort
        && SignedAt == other.SignedAt
        && string.Equals(Host, other.Host, StringComparison.Ordinal)
        && string.Equals(Version, other.Version, StringComparison.Ordinal)
        && string.Equals(Location, other.Location, StringComparison.Ordinal);

    /// <summary>The node in a few words, as a route prints its hops: <c>1a2b3c4d mixnode L2 198.51.100.7:1789</c>.</summary>
    internal string Label => Role == NodeRole.Gateway
        ? $"{KeyFingerprint.Abbreviate(IdentityKey.Span)} gateway {MixEndpoint}"
        : string.Create(CultureInfo.InvariantCulture, $"{KeyFingerprint.Abbreviate(IdentityKey.Span)} mixnode L{Layer} {MixEndpoint}");

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(IdentityKey.Span);
        hash.Add(SignedAt);
        return hash.ToHashCode();
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture,
            $"IdentityKey = {KeyFingerprint.Abbreviate(IdentityKey.Span)}, SphinxKey = {KeyFingerprint.Abbreviate(SphinxKey.Span)}, Role = {Role}, Layer = {Layer}, ");
        builder.Append(CultureInfo.InvariantCulture,
            $"Host = {Host}, MixPort = {MixPort}, ClientPort = {ClientPort}, Version = {Version}, Location = {Location}, SignedAt = {SignedAt:O}");
        return true;
    }
}
