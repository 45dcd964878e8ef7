namespace Mixnet.Directory.Client;

/// <summary>The agent's current lease, without its token.</summary>
/// <param name="RegisteredAt">When the directory accepted the registration.</param>
/// <param name="LastRenewedAt">The last successful registration or heartbeat.</param>
/// <param name="Ttl">How long the lease lasts without a heartbeat.</param>
/// <param name="HeartbeatInterval">How often the directory asked to be told the node is alive.</param>
public sealed record LeaseInfo(DateTimeOffset RegisteredAt, DateTimeOffset LastRenewedAt, TimeSpan Ttl, TimeSpan HeartbeatInterval)
{
    /// <summary>When the lease runs out unless renewed.</summary>
    public DateTimeOffset ExpiresAt => LastRenewedAt + Ttl;
}
