using System.Runtime.InteropServices;

namespace Mixnet.Directory.Bench.Micro;

/// <summary>
/// CPU clocks of this process (Linux CLOCK_PROCESS_CPUTIME_ID, every thread, including the GC's)
/// and of the calling thread (CLOCK_THREAD_CPUTIME_ID), so a microbenchmark on a shared machine is
/// not charged for the time other processes held the cores.
/// </summary>
internal static partial class ThreadCpu
{
    private const int ClockProcessCpuTimeId = 2;
    private const int ClockThreadCpuTimeId = 3;

    public static bool Available => OperatingSystem.IsLinux();

    public static long Nanoseconds => Read(ClockThreadCpuTimeId);

    /// <summary>CPU time of every thread of the process, so work the runtime moves to its own threads (a Server GC's collections) still counts.</summary>
    public static long ProcessNanoseconds => Read(ClockProcessCpuTimeId);

    private static long Read(int clock)
    {
        if (ClockGetTime(clock, out var time) != 0)
        {
            throw new InvalidOperationException($"clock_gettime({clock}) failed");
        }

        return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int ClockGetTime(int clock, out Timespec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
