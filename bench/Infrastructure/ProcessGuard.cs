using System.Collections.Concurrent;
using System.Diagnostics;

namespace Mixnet.Directory.Bench.Infrastructure;

/// <summary>
/// Every process the bench starts, so each is killed (by its own Process object, never by name)
/// when the bench ends: normally, on an exception, on Ctrl+C or on SIGTERM.
/// </summary>
internal static class ProcessGuard
{
    private static readonly ConcurrentDictionary<int, Process> Started = new();

    static ProcessGuard()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    public static void Track(Process process) => Started[process.Id] = process;

    public static void Kill(Process process)
    {
        Started.TryRemove(process.Id, out _);
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public static void KillAll()
    {
        foreach (var process in Started.Values)
        {
            Kill(process);
        }
    }
}
