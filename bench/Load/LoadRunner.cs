using Grpc.Core;
using HdrHistogram;
using Mixnet.Directory.Bench.Infrastructure;

namespace Mixnet.Directory.Bench.Load;

/// <summary>
/// Drives calls at a server process: closed loop (each worker starts its next call when the last
/// returns) or paced (calls started on a fixed schedule whatever the responses do). Only calls
/// that start and finish inside the timed window count; the server's CPU and peak RSS are read
/// across the same window.
/// </summary>
internal static class LoadRunner
{
    private const long HighestMicros = 120_000_000;

    public static async Task<LoadResult> ClosedLoopAsync(
        string name, Func<int> serverPid, Func<TimeSpan> serverCpu, LoadShape shape, TimeSpan warmup, TimeSpan duration, LoadCall call, CancellationToken cancellationToken)
    {
        var histogram = new LongConcurrentHistogram(1, HighestMicros, 3);
        var state = new RunState();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long sequence = -1;
        var workers = new Task[shape.Workers];
        for (var w = 0; w < workers.Length; w++)
        {
            var worker = w;
            workers[w] = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var start = Clock.Now;
                    bool more;
                    try
                    {
                        more = await call(new CallContext(worker, Interlocked.Increment(ref sequence)), stop.Token);
                    }
                    catch (Exception ex) when (stop.IsCancellationRequested && ex is OperationCanceledException or RpcException)
                    {
                        break;
                    }
                    catch (Exception ex) when (ex is RpcException or IOException or InvalidOperationException)
                    {
                        state.Error(ex, start);
                        continue;
                    }

                    if (!more)
                    {
                        state.Exhausted();
                        break;
                    }

                    state.Completed(start, Clock.Now, histogram);
                }
            }, CancellationToken.None);
        }

        var result = await MeasureAsync(name, shape.ToString(), serverPid, serverCpu, warmup, duration, state, histogram, Task.WhenAll(workers), stop, cancellationToken);
        return result;
    }

    /// <summary>
    /// Starts <paramref name="rate"/> calls a second on a schedule (open loop), at most
    /// <paramref name="maxInFlight"/> at once. Latency is from each call's actual start; how late
    /// the scheduler started calls is reported separately in the shape.
    /// </summary>
    public static async Task<LoadResult> PacedAsync(
        string name, Func<int> serverPid, Func<TimeSpan> serverCpu, double rate, int connections, int maxInFlight, TimeSpan warmup, TimeSpan duration, LoadCall call, CancellationToken cancellationToken)
    {
        var histogram = new LongConcurrentHistogram(1, HighestMicros, 3);
        var state = new RunState();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(maxInFlight, maxInFlight);
        var lateness = new LongConcurrentHistogram(1, HighestMicros, 3);
        var bursts = new LongHistogram(1_000_000, 3);
        var dispatcher = new Thread(() =>
        {
            var begin = Clock.Now;
            long issued = 0;
            long burst = 0;
            var frequency = System.Diagnostics.Stopwatch.Frequency;
            while (!stop.IsCancellationRequested)
            {
                var now = Clock.Now;
                var due = (long)((now - begin) * rate / frequency);
                while (issued < due && !stop.IsCancellationRequested)
                {
                    var scheduled = begin + (long)(issued * frequency / rate);
                    if (!slots.Wait(0))
                    {
                        state.Saturated();
                        try
                        {
                            slots.Wait(stop.Token);
                        }
                        catch (OperationCanceledException)
                        {
                            return;
                        }
                    }

                    var sequence = issued++;
                    burst++;
                    if (state.Measuring)
                    {
                        lateness.RecordValue(Math.Max(1, Clock.Micros(scheduled, Clock.Now)));
                    }

                    // Started on the thread pool: one dispatcher thread starting every call itself caps the rate it can offer.
                    ThreadPool.UnsafeQueueUserWorkItem(
                        static s => _ = RunOneAsync(s.Call, s.Context, Clock.Now, s.State, s.Histogram, s.Slots, s.Stop),
                        (Call: call, Context: new CallContext((int)(sequence % connections), sequence), State: state, Histogram: histogram, Slots: slots, Stop: stop),
                        preferLocal: false);
                }

                // A millisecond tick: each wake-up starts the calls that fell due meanwhile, as
                // connection-sharing clients would send them. Finer sleeps were tried: the calls
                // then batch less and the extra CPU on the two shared cores saturated the run.
                Thread.Sleep(1);

                if (burst > 0 && state.Measuring)
                {
                    bursts.RecordValue(burst);
                }

                burst = 0;
            }
        })
        { IsBackground = true, Name = "paced dispatcher" };
        dispatcher.Start();
        var finished = Task.Run(async () =>
        {
            while (dispatcher.IsAlive)
            {
                await Task.Delay(10, CancellationToken.None);
            }

            // Let the calls in flight return (they are not counted once the window has closed).
            for (var i = 0; i < 500 && slots.CurrentCount < maxInFlight; i++)
            {
                await Task.Delay(10, CancellationToken.None);
            }
        }, CancellationToken.None);
        var result = await MeasureAsync(name, $"paced {rate:F0}/s over {connections} conn", serverPid, serverCpu, warmup, duration, state, histogram, finished, stop, cancellationToken);
        var late = lateness.TotalCount == 0 ? 0 : lateness.GetValueAtPercentile(99) / 1000.0;
        var burstP99 = bursts.TotalCount == 0 ? 0 : bursts.GetValueAtPercentile(99);
        return result with { Shape = $"{result.Shape}; scheduler p99 late {late:F2} ms; p99 {burstP99} calls started per wake-up; saturated {state.SaturatedCount}×" };
    }

    private static async Task RunOneAsync(LoadCall call, CallContext context, long start, RunState state, LongConcurrentHistogram histogram, SemaphoreSlim slots, CancellationTokenSource stop)
    {
        try
        {
            if (await call(context, stop.Token))
            {
                state.Completed(start, Clock.Now, histogram);
            }
            else
            {
                state.Exhausted();
            }
        }
        catch (Exception ex) when (stop.IsCancellationRequested && ex is OperationCanceledException or RpcException)
        {
        }
        catch (Exception ex) when (ex is RpcException or IOException or InvalidOperationException)
        {
            state.Error(ex, start);
        }
        finally
        {
            slots.Release();
        }
    }

    private static async Task<LoadResult> MeasureAsync(
        string name, string shape, Func<int> serverPid, Func<TimeSpan> serverCpu, TimeSpan warmup, TimeSpan duration,
        RunState state, LongConcurrentHistogram histogram, Task finished, CancellationTokenSource stop, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAny(Task.Delay(warmup, cancellationToken), state.ExhaustedTask);
            var pid = serverPid();
            var peakResettable = ProcStatus.ResetPeak(pid);
            var cpu0 = serverCpu();
            var sys0 = ProcStatus.SystemCpu(pid);
            var client0 = Clock.ProcessCpu;
            var start = Clock.Now;
            state.Begin(start);
            using var sampler = new RssSampler(pid);
            await Task.WhenAny(Task.Delay(duration, cancellationToken), state.ExhaustedTask);
            var end = Clock.Now;
            state.End(end);
            var cpu1 = serverCpu();
            var sys1 = ProcStatus.SystemCpu(pid);
            var client1 = Clock.ProcessCpu;
            var peak = peakResettable ? Math.Max(ProcStatus.PeakResidentBytes(pid), sampler.Peak) : sampler.Peak;
            await stop.CancelAsync();
            await finished.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            return new LoadResult(name, shape, state.Count, state.Errors, Clock.Between(start, end), histogram, cpu1 - cpu0, client1 - client0, peak, state.FirstError) { ServerSystemCpu = sys1 - sys0 };
        }
        finally
        {
            await stop.CancelAsync();
        }
    }

    /// <summary>The window and the counters shared by the workers of one run.</summary>
    private sealed class RunState
    {
        private readonly TaskCompletionSource _exhausted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _begin = long.MaxValue;
        private long _end = long.MaxValue;
        private long _count;
        private long _errors;
        private long _saturated;
        private string? _firstError;

        public Task ExhaustedTask => _exhausted.Task;

        public bool Measuring => Volatile.Read(ref _begin) != long.MaxValue && Volatile.Read(ref _end) == long.MaxValue;

        public long Count => Interlocked.Read(ref _count);

        public long Errors => Interlocked.Read(ref _errors);

        public long SaturatedCount => Interlocked.Read(ref _saturated);

        public string? FirstError => _firstError;

        public void Begin(long at) => Volatile.Write(ref _begin, at);

        public void End(long at) => Volatile.Write(ref _end, at);

        public void Exhausted() => _exhausted.TrySetResult();

        public void Saturated() => Interlocked.Increment(ref _saturated);

        public void Completed(long start, long end, LongConcurrentHistogram histogram)
        {
            if (start >= Volatile.Read(ref _begin) && end <= Volatile.Read(ref _end))
            {
                Interlocked.Increment(ref _count);
                histogram.RecordValue(Math.Max(1, Math.Min(HighestMicros, Clock.Micros(start, end))));
            }
        }

        public void Error(Exception error, long start)
        {
            if (start >= Volatile.Read(ref _begin) && Volatile.Read(ref _end) == long.MaxValue)
            {
                Interlocked.Increment(ref _errors);
                Interlocked.CompareExchange(ref _firstError, $"{error.GetType().Name}: {error.Message}", null);
            }
        }
    }
}
