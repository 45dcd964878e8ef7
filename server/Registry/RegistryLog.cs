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

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Loaded {Count} replay mark(s) from {Path}; descriptors signed before this start are refused")]
    public static partial void MarksLoaded(ILogger logger, int count, string path);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Could not write the replay marks to {Path} ({Reason}); retrying in a second")]
    public static partial void MarksNotSaved(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Registration refused: {Reason}")]
    public static partial void HostRefused(ILogger logger, string reason);
}
