namespace Mixnet.Directory.Server.Presence;

/// <summary>The result of a heartbeat, without exceptions on the hot path.</summary>
internal enum HeartbeatOutcome
{
    Renewed,
    NotFound,
    WrongToken,
    Banned,
    RateLimited,
}
