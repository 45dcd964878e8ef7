namespace Mixnet.Directory.Server.Topology;

/// <summary>Refusals of the topology HTTP routes (one line each, no stack trace).</summary>
internal static partial class TopologyHttpLog
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Debug, Message = "HTTP {Path} refused with {Status}: {Reason}")]
    public static partial void Refused(ILogger logger, string path, int status, string reason);
}
