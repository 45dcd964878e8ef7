using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Server.Admin;

/// <summary>The audit trail of admin actions. Token names only; tokens never appear here.</summary>
internal static partial class AdminLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "AUDIT {Action} {Identity} by {TokenName} at {At}: {Reason}")]
    public static partial void Audit(ILogger logger, string action, NodeId identity, string tokenName, DateTimeOffset at, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Admin call {Method} refused from {Peer}: {Why}")]
    public static partial void Refused(ILogger logger, string method, string peer, string why);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "{Count} more refused admin calls were not logged (at most 10 lines a second)")]
    public static partial void RefusalsSuppressed(ILogger logger, long count);
}
