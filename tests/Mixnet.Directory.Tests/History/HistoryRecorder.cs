using System.Collections.Concurrent;
using System.Diagnostics;

namespace Mixnet.Directory.Tests.History;

/// <summary>
/// Collects writes and observations from many concurrent clients on one monotonic clock
/// (the server's TTL is measured on the same machine, so durations compare).
/// </summary>
public sealed class HistoryRecorder
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly ConcurrentQueue<WriteOp> _writes = new();
    private readonly ConcurrentQueue<Observation> _observations = new();
    private int _nextId;

    public TimeSpan Now => Stopwatch.GetElapsedTime(_start);

    public int NextId() => Interlocked.Increment(ref _nextId);

    public void Add(WriteOp write) => _writes.Enqueue(write);

    public void Add(Observation observation) => _observations.Enqueue(observation);

    public RecordedHistory Freeze(HistoryRules rules, byte[] directoryKey) =>
        new([.. _writes.OrderBy(w => w.Id)], [.. _observations.OrderBy(o => o.Id)], rules, directoryKey);
}
