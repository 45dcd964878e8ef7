using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Mixnet.Directory.Client;

/// <summary>NodeAgent events. Identity keys are public; lease tokens and private keys never appear here.</summary>
internal static partial class NodeAgentLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Node {Identity} registered with {Directory} as {Role} layer {Layer}; heartbeat every {Interval}, topology version {Version}")]
    public static partial void Registered(ILogger logger, string identity, Uri? directory, NodeRole role, int layer, TimeSpan interval, ulong version);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "The directory cannot be reached ({Status}); retrying in {Delay} and again until it answers")]
    public static partial void Unreachable(ILogger logger, StatusCode status, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "The directory still cannot be reached ({Status}, failure {Failures}); retrying in {Delay}")]
    public static partial void StillUnreachable(ILogger logger, StatusCode status, int failures, TimeSpan delay);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "The directory answers again after {Failures} failed call(s)")]
    public static partial void Recovered(ILogger logger, int failures);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "The directory no longer knows node {Identity} ({Status}: {Detail}); registering again")]
    public static partial void LeaseLost(ILogger logger, string identity, StatusCode status, string detail);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "The directory refused the registration ({Status}: {Detail}); retrying in {Delay}")]
    public static partial void RegistrationRefused(ILogger logger, StatusCode status, string detail, TimeSpan delay);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Critical, Message = "The directory refused node {Identity} for good ({Status}: {Detail}); the agent stops trying")]
    public static partial void Fatal(ILogger logger, string identity, StatusCode status, string detail);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "Node {Identity} deregistered")]
    public static partial void Deregistered(ILogger logger, string identity);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Debug, Message = "Deregistration did not complete; the lease will expire on its own")]
    public static partial void DeregisterFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Debug, Message = "The directory does not serve metrics (UNIMPLEMENTED); metrics reporting is off")]
    public static partial void MetricsUnimplemented(ILogger logger);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Debug, Message = "Metrics report failed ({Status}); its counts go with the next report")]
    public static partial void MetricsReportFailed(ILogger logger, StatusCode status);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Warning, Message = "The directory refused a metrics report as malformed ({Detail}); its counts are dropped, not retried")]
    public static partial void MetricsReportRefused(ILogger logger, string detail);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Error, Message = "Node agent loop failed unexpectedly; it restarts after a backoff")]
    public static partial void LoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Debug, Message = "The directory asked for fewer metrics reports (RESOURCE_EXHAUSTED); the next goes in {Delay} with these counts")]
    public static partial void MetricsReportThrottled(ILogger logger, TimeSpan delay);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Debug, Message = "The last metrics report is not due for {Wait}, longer than the deregister timeout; its counts are not sent")]
    public static partial void FinalReportSkipped(ILogger logger, TimeSpan wait);
}
