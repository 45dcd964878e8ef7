using System.Diagnostics;

namespace Mixnet.Directory.Bench.Load;

/// <summary>Monotonic timestamps in microseconds.</summary>
internal static class Clock
{
    public static long Now => Stopwatch.GetTimestamp();

    public static long Micros(long from, long to) => (long)((to - from) * 1_000_000.0 / Stopwatch.Frequency);

    public static TimeSpan Between(long from, long to) => Stopwatch.GetElapsedTime(from, to);

    public static TimeSpan ProcessCpu
    {
        get
        {
            using var self = Process.GetCurrentProcess();
            return self.TotalProcessorTime;
        }
    }
}
