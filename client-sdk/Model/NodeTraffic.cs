namespace Mixnet.Directory.Client;

/// <summary>One node's packet counts in one metrics window.</summary>
/// <param name="IdentityKey">The node's identity key.</param>
/// <param name="Sent">Packets sent, summed over next hops.</param>
/// <param name="Received">Packets received.</param>
public sealed record NodeTraffic(ReadOnlyMemory<byte> IdentityKey, ulong Sent, ulong Received);
