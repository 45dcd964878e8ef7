namespace Mixnet.Directory.Server.Topology;

/// <summary>Events of topology publication and its watchers.</summary>
internal static partial class TopologyLog
{
    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Topology publication failed")]
    public static partial void PublishFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Published topology version {Version} ({Upserted} upserted, {Removed} removed) to {Watchers} watcher(s)")]
    public static partial void Published(ILogger logger, ulong version, int upserted, int removed, int watchers);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "Watcher fell behind at version {Version} and is sent a fresh snapshot")]
    public static partial void WatcherResynced(ILogger logger, ulong version);
}
