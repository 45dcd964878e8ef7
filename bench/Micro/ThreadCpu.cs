using System.Runtime.InteropServices;

namespace Mixnet.Directory.Bench.Micro;

/// <summary>
/// CPU time of the calling thread (Linux CLOCK_THREAD_CPUTIME_ID), so a microbenchmark on a shared
/// machine is not charged for the time other processes held the core.
/// </summary>
internal static partial class ThreadCpu
{
    private const int ClockThreadCpuTimeId = 3;

    public static bool Available => OperatingSystem.IsLinux();

    public static long Nanoseconds
    {
        get
        {
            if (ClockGetTime(ClockThreadCpuTimeId, out var time) != 0)
            {
                throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
            }

            return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
        }
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
