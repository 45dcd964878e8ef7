using Microsoft.Extensions.Logging;

namespace Mixnet.Directory.Client;

/// <summary>Events of <see cref="ConsensusClient"/>.</summary>
internal static partial class ConsensusClientLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Authority {Address} gave no valid consensus: {Reason}")]
    public static partial void AuthorityFailed(ILogger logger, string address, string reason);
}
