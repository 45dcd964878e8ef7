namespace Mixnet.Directory.Server.Authorities;

/// <summary>Events of the authority epoch loop and the AuthorityService.</summary>
internal static partial class AuthorityLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Directory authority {Name} of {Count} (threshold {Threshold}), epoch length {EpochLength}")]
    public static partial void Started(ILogger logger, string name, int count, int threshold, TimeSpan epochLength);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Consensus for epoch {Epoch} published: {Nodes} node(s), {Signatures} signature(s)")]
    public static partial void Published(ILogger logger, ulong epoch, int nodes, int signatures);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "No consensus for epoch {Epoch}: {Reason}; the previous one is served until it expires")]
    public static partial void NoConsensus(ILogger logger, ulong epoch, string reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Authority {Peer}: {Operation} failed: {Reason}")]
    public static partial void PeerFailed(ILogger logger, string peer, string operation, string reason);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Refused {Operation} from {Caller}: {Reason}")]
    public static partial void Refused(ILogger logger, string operation, string? caller, string reason);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "Adopted the consensus for epoch {Epoch} from authority {Peer}")]
    public static partial void Adopted(ILogger logger, ulong epoch, string peer);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Error, Message = "Epoch {Epoch} step failed")]
    public static partial void StepFailed(ILogger logger, ulong epoch, Exception exception);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning, Message = "Authority host {Host} did not resolve: {Reason}; its calls get the small request limit until it does")]
    public static partial void UnresolvedPeer(ILogger logger, string host, string reason);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Debug, Message = "Refused {Operation} from {Caller}: {Reason}")]
    public static partial void Throttled(ILogger logger, string operation, System.Net.IPAddress? caller, string reason);
}
