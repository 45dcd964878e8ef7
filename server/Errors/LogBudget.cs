namespace Mixnet.Directory.Server.Errors;

/// <summary>
/// Lines a second one log category may write about refused requests, so a flood of bad
/// requests cannot fill a disk: at most <see cref="LinesPerSecond"/> lines a second, then one
/// summary line for what was suppressed when the next second's first line is written.
/// </summary>
internal sealed class LogBudget(TimeProvider time)
{
    public const int LinesPerSecond = 10;

    private readonly Lock _gate = new();
    private long _second = -1;
    private int _written;
    private long _suppressed;

    /// <summary>True when a line may be written; <paramref name="suppressed"/> is how many were dropped since the last one written.</summary>
    public bool TryTake(out long suppressed)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        lock (_gate)
        {
            if (now != _second)
            {
                _second = now;
                _written = 0;
            }

            if (_written >= LinesPerSecond)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }

            _written++;
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }
    }
}
