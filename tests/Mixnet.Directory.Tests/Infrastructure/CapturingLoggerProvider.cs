using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mixnet.Directory.Tests.Infrastructure;

/// <summary>Keeps every log entry of a test server so a test can fail on an unexpected error or look for a secret.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();
    private readonly List<(Func<CapturedLog, bool> Matches, TaskCompletionSource<CapturedLog> Done)> _waiters = [];

    public IReadOnlyCollection<CapturedLog> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    /// <summary>Completes with the first entry, logged before or after the call, that matches.</summary>
    public Task<CapturedLog> WaitFor(Func<CapturedLog, bool> matches)
    {
        var done = new TaskCompletionSource<CapturedLog>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (_entries.FirstOrDefault(matches) is { } logged)
            {
                done.TrySetResult(logged);
            }
            else
            {
                _waiters.Add((matches, done));
            }
        }

        return done.Task;
    }

    public void Dispose()
    {
    }

    private void Add(CapturedLog entry)
    {
        lock (_waiters)
        {
            _entries.Enqueue(entry);
            _waiters.RemoveAll(w => w.Matches(entry) && w.Done.TrySetResult(entry));
        }
    }

    private sealed class Logger(string category, CapturingLoggerProvider provider) : ILogger
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

            provider.Add(new CapturedLog(logLevel, category, eventId, text, exception));
        }
    }
}
