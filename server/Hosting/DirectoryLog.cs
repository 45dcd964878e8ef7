namespace Mixnet.Directory.Server.Hosting;

/// <summary>Start-up and lifetime events of the directory.</summary>
internal static partial class DirectoryLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Directory signing key {Fingerprint} at {Path} (created now: {Created})")]
    public static partial void SigningKeyReady(ILogger logger, string fingerprint, string path, bool created);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Mixnet Directory {Version} started: TTL {Ttl}, heartbeat interval {Interval}, max nodes {MaxNodes}")]
    public static partial void Started(ILogger logger, string version, TimeSpan ttl, TimeSpan interval, int maxNodes);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Draining for {Drain}: health reports NOT_SERVING, heartbeats are still answered")]
    public static partial void Draining(ILogger logger, TimeSpan drain);
}
