namespace Mixnet.Directory.Server.Registry;

/// <summary>What a successful registration hands back.</summary>
/// <param name="LeaseToken">The new lease's token.</param>
/// <param name="TopologyVersion">A version that lists the registration.</param>
/// <param name="Replaced">True when the identity had a record before.</param>
/// <param name="DatedAhead">True when the descriptor is signed after the directory's now: its replay mark must be on disk before the registration is acknowledged.</param>
internal sealed record RegistrationResult(byte[] LeaseToken, ulong TopologyVersion, bool Replaced, bool DatedAhead);
