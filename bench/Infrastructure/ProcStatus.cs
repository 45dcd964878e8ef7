using System.Globalization;

namespace Mixnet.Directory.Bench.Infrastructure;

/// <summary>Reads a process's memory figures from /proc (Linux), in bytes.</summary>
internal static class ProcStatus
{
    public static long ResidentBytes(int pid) => ReadKb(pid, "VmRSS:") * 1024;

    public static long PeakResidentBytes(int pid) => ReadKb(pid, "VmHWM:") * 1024;

    /// <summary>Kernel-mode CPU time of a process (stime in /proc/pid/stat; USER_HZ is 100 on Linux).</summary>
    public static TimeSpan SystemCpu(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return TimeSpan.FromMilliseconds(long.Parse(fields[12], CultureInfo.InvariantCulture) * 10);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>Resets VmHWM to the current RSS, so a peak can be read per scenario. False where not permitted.</summary>
    public static bool ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long ReadKb(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var parts = line[field.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }
}
