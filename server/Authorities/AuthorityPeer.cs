namespace Mixnet.Directory.Server.Authorities;

/// <summary>A parsed, validated authority: its name, raw key and address.</summary>
internal sealed record AuthorityPeer(string Name, byte[] Key, Uri Address);
