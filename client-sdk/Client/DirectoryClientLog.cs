using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Mixnet.Directory.Client;

/// <summary>DirectoryClient events.</summary>
internal static partial class DirectoryClientLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Pinned directory key {Fingerprint} of {Address} (trust on first use)")]
    public static partial void KeyPinned(ILogger logger, string fingerprint, string address);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "The directory at {Address} presents key {Presented}, not the pinned {Pinned}; its topologies will be refused")]
    public static partial void KeyMismatch(ILogger logger, string address, string presented, string pinned);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "Topology version {Version} not modified; using the cached copy")]
    public static partial void NotModified(ILogger logger, ulong version);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "{Stream} stream dropped ({Status}); reconnecting in {Delay}")]
    public static partial void StreamDropped(ILogger logger, string stream, StatusCode status, TimeSpan delay);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug, Message = "{Stream} stream still down ({Status}, failure {Failures}); reconnecting in {Delay}")]
    public static partial void StreamStillDown(ILogger logger, string stream, StatusCode status, int failures, TimeSpan delay);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "{Stream} stream reconnected after {Failures} failure(s)")]
    public static partial void StreamRecovered(ILogger logger, string stream, int failures);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Topology delta {From}->{To} does not follow the view at {Current}; discarding the view and asking for a snapshot")]
    public static partial void WatchResync(ILogger logger, ulong from, ulong to, ulong current);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Debug, Message = "{Stream} stream ended by the directory; reconnecting in {Delay}")]
    public static partial void StreamEnded(ILogger logger, string stream, TimeSpan delay);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Information, Message = "Accepted the consensus for epoch {Epoch}: {Signers} authority signature(s), {Nodes} node(s)")]
    public static partial void ConsensusAccepted(ILogger logger, ulong epoch, int signers, int nodes);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Refreshing the consensus failed ({Failures} in a row); keeping the held one: {Reason}")]
    public static partial void ConsensusRefreshFailed(ILogger logger, int failures, string reason);
}
