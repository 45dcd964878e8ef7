namespace Mixnet.Directory.Server.Quality;

/// <summary>The quality concern's log events (4100-4199).</summary>
internal static partial class QualityLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Quality period scored: {Listed} listed nodes, {Judged} with judged links, {Excluded} excluded, {Changed} published values changed")]
    public static partial void Scored(ILogger logger, int listed, int judged, int excluded, int changed);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Quality period failed: {Reason}")]
    public static partial void PeriodFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Quality scores of {Count} nodes restored from {Path}")]
    public static partial void Restored(ILogger logger, int count, string path);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Quality scores not saved to {Path}: {Reason}")]
    public static partial void SaveFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Quality file {Path} is unreadable and was ignored (scores start afresh): {Reason}")]
    public static partial void RestoreFailed(ILogger logger, string path, string reason);
}
