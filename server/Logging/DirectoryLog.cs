namespace Mixnet.Directory.Server.Logging;

/// <summary>Start-up and lifetime events of the directory.</summary>
internal static partial class DirectoryLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Directory signing key {Fingerprint} at {Path} (created now: {Created})")]
    public static partial void SigningKeyReady(ILogger logger, string fingerprint, string path, bool created);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Mixnet Directory {Version} started: TTL {Ttl}, heartbeat interval {Interval}, max nodes {MaxNodes}")]
    public static partial void Started(ILogger logger, string version, TimeSpan ttl, TimeSpan interval, int maxNodes);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Expiry sweep failed")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Topology publication failed")]
    public static partial void PublishFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Published topology version {Version} ({Upserted} upserted, {Removed} removed) to {Watchers} watcher(s)")]
    public static partial void Published(ILogger logger, ulong version, int upserted, int removed, int watchers);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "Watcher fell behind at version {Version} and is sent a fresh snapshot")]
    public static partial void WatcherResynced(ILogger logger, ulong version);
}
