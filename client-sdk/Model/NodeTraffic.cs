using System.Globalization;
using System.Text;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Client;

/// <summary>One node's packet counts in one metrics window. Prints the key as its first 8 hex digits.</summary>
/// <param name="IdentityKey">The node's identity key.</param>
/// <param name="Sent">Packets sent, summed over next hops.</param>
/// <param name="Received">Packets received.</param>
public sealed record NodeTraffic(ReadOnlyMemory<byte> IdentityKey, ulong Sent, ulong Received)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"IdentityKey = {KeyFingerprint.Abbreviate(IdentityKey.Span)}, Sent = {Sent}, Received = {Received}");
        return true;
    }
}
