using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mixnet.Directory.Tests.Infrastructure;

/// <summary>Keeps every log entry of a test server so a test can fail on an unexpected error or look for a secret.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyCollection<CapturedLog> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // Include structured values too, so a secret passed as a parameter is caught even if the template hides it.
            var text = formatter(state, exception);
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                text += " | " + string.Join(", ", values.Select(v => $"{v.Key}={v.Value}"));
            }

            entries.Enqueue(new CapturedLog(logLevel, category, eventId, text, exception));
        }
    }
}
