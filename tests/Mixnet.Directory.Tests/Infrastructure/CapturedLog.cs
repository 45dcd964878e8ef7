using Microsoft.Extensions.Logging;

namespace Mixnet.Directory.Tests.Infrastructure;

/// <summary>One log entry the server wrote during a test.</summary>
public sealed record CapturedLog(LogLevel Level, string Category, EventId EventId, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} {Category}[{EventId.Id}]: {Message} {Exception}";
}
