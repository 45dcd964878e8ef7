using Microsoft.Extensions.Logging;

namespace Mixnet.Directory.Cli.Infrastructure;

/// <summary>
/// The logger factory mixdir gives the SDK's <c>DirectoryClient</c>. The client reconnects a dropped
/// watch or metrics stream by itself (with backoff) and only logs it; this turns those events into
/// "reconnecting…" lines on stderr, and a "reconnected" line when the stream is back, so a person
/// staring at a quiet <c>watch</c> knows the directory is away. Every other event is dropped.
/// </summary>
public sealed class StreamStatusLoggerFactory(CliConsole console) : ILoggerFactory, ILogger
{
    // DirectoryClientLog's event ids (client-sdk/Client/DirectoryClientLog.cs).
    private const int StreamDropped = 3004;
    private const int StreamStillDown = 3005;
    private const int StreamRecovered = 3006;
    private const int StreamEnded = 3008;

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        string? Value(string name) => values.FirstOrDefault(v => v.Key == name).Value?.ToString();
        var stream = (Value("Stream") ?? "the").ToLowerInvariant();
        var next = values.FirstOrDefault(v => v.Key == "Delay").Value is TimeSpan delay ? $", next attempt in {Rendering.Format.Duration(delay)}" : "";
        switch (eventId.Id)
        {
            case StreamDropped:
            case StreamStillDown:
                var attempt = Value("Failures") is { } failures ? $"attempt {failures}" : "attempt 1";
                console.WriteError($"{stream} stream is down ({Value("Status")}); reconnecting… ({attempt}{next})");
                break;
            case StreamEnded:
                console.WriteError($"{stream} stream was closed by the directory; reconnecting…{(next.Length > 0 ? " (" + next[2..] + ")" : "")}");
                break;
            case StreamRecovered:
                console.WriteError($"{stream} stream reconnected");
                break;
        }
    }
}
