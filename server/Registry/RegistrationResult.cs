namespace Mixnet.Directory.Server.Registry;

/// <summary>What a successful registration hands back.</summary>
internal sealed record RegistrationResult(byte[] LeaseToken, ulong TopologyVersion, bool Replaced);
