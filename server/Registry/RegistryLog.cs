using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Registry;

/// <summary>Registry events. Identity keys are public; lease tokens never appear here.</summary>
internal static partial class RegistryLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Node {Identity} registered as {Role} layer {Layer} at {Endpoint} (replaced: {Replaced})")]
    public static partial void Registered(ILogger logger, NodeId identity, NodeRole role, uint layer, EndpointKey endpoint, bool replaced);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Node {Identity} deregistered")]
    public static partial void Deregistered(ILogger logger, NodeId identity);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "{Count} node(s) expired; topology version {Version}")]
    public static partial void Expired(ILogger logger, int count, ulong version);
}
