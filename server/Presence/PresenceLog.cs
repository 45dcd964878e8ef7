namespace Mixnet.Directory.Server.Presence;

/// <summary>Events of the expiry sweep. Lease tokens never appear here.</summary>
internal static partial class PresenceLog
{
    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Expiry sweep failed")]
    public static partial void SweepFailed(ILogger logger, Exception exception);
}
