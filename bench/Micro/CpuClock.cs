using System.Runtime.InteropServices;

namespace Mixnet.Directory.Bench.Micro;

/// <summary>
/// CPU time of this process (Linux CLOCK_PROCESS_CPUTIME_ID: every thread, including a Server GC's),
/// so a microbenchmark on a shared machine is not charged for the time other processes held the
/// cores, and is charged for collections the runtime runs on its own threads.
/// </summary>
internal static partial class CpuClock
{
    private const int ClockProcessCpuTimeId = 2;

    public static bool Available => OperatingSystem.IsLinux();

    public static long ProcessNanoseconds
    {
        get
        {
            if (ClockGetTime(ClockProcessCpuTimeId, out var time) != 0)
            {
                throw new InvalidOperationException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
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
