using System.Text;

namespace Mixnet.Directory.Tests.Tools;

/// <summary>A thread-safe writer that keeps what was written and lets a test await a line, instead of sleeping.</summary>
public sealed class LineCapture : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }

    public IReadOnlyList<string> Lines => Text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (_gate)
        {
            _text.Append(value);
            var lines = _text.ToString().Split('\n');
            _waiters.RemoveAll(w =>
            {
                var line = lines.FirstOrDefault(l => w.Match(l));
                return line is not null && w.Found.TrySetResult(line);
            });
        }
    }

    /// <summary>Completes with the first line (already written or still to come) that matches.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var line = _text.ToString().Split('\n').FirstOrDefault(match);
            if (line is not null)
            {
                found.SetResult(line);
            }
            else
            {
                _waiters.Add((match, found));
            }
        }

        return found.Task;
    }
}
