using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Mixnet.Directory.Client;

/// <summary>NodeAgent events. Identity keys are public; lease tokens and private keys never appear here.</summary>
internal static partial class NodeAgentLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Node {Identity} registered with {Directory} as {Role} layer {Layer}; heartbeat every {Interval}, topology version {Version}")]
    public static partial void Registered(ILogger logger, string identity, string directory, NodeRole role, int layer, TimeSpan interval, ulong version);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "The directory {Directory} cannot be reached ({Status}); retrying in {Delay} and again until it answers")]
    public static partial void Unreachable(ILogger logger, string directory, StatusCode status, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "The directory {Directory} still cannot be reached ({Status}, failure {Failures}); retrying in {Delay}")]
    public static partial void StillUnreachable(ILogger logger, string directory, StatusCode status, int failures, TimeSpan delay);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "The directory {Directory} answers again after {Failures} failed call(s)")]
    public static partial void Recovered(ILogger logger, string directory, int failures);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "The directory {Directory} no longer knows node {Identity} ({Status}: {Detail}); registering again")]
    public static partial void LeaseLost(ILogger logger, string directory, string identity, StatusCode status, string detail);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "The directory {Directory} refused the registration ({Status}: {Detail}); retrying in {Delay}")]
    public static partial void RegistrationRefused(ILogger logger, string directory, StatusCode status, string detail, TimeSpan delay);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Critical, Message = "The directory {Directory} refused node {Identity} for good ({Status}: {Detail}); the agent stops trying there")]
    public static partial void Fatal(ILogger logger, string identity, string directory, StatusCode status, string detail);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "Node {Identity} deregistered from {Directory}")]
    public static partial void Deregistered(ILogger logger, string identity, string directory);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Debug, Message = "Deregistration from {Directory} did not complete; the lease will expire on its own")]
    public static partial void DeregisterFailed(ILogger logger, string directory, Exception exception);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Debug, Message = "The directory {Directory} does not serve metrics (UNIMPLEMENTED); metrics reporting to it is off")]
    public static partial void MetricsUnimplemented(ILogger logger, string directory);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Debug, Message = "Metrics report to {Directory} failed ({Status}); its counts go with the next report")]
    public static partial void MetricsReportFailed(ILogger logger, string directory, StatusCode status);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Warning, Message = "The directory {Directory} refused a metrics report as malformed ({Detail}); its counts are dropped, not retried")]
    public static partial void MetricsReportRefused(ILogger logger, string directory, string detail);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Error, Message = "Node agent loop failed unexpectedly; it restarts after a backoff")]
    public static partial void LoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Debug, Message = "The directory {Directory} asked for fewer metrics reports (RESOURCE_EXHAUSTED); the next goes in {Delay} with these counts")]
    public static partial void MetricsReportThrottled(ILogger logger, string directory, TimeSpan delay);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Debug, Message = "The last metrics report to {Directory} is not due for {Wait}, longer than the deregister timeout; its counts are not sent")]
    public static partial void FinalReportSkipped(ILogger logger, string directory, TimeSpan wait);
}
