using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Mixnet.Directory.Bench.Report;

/// <summary>What the run ran on, for results.md: cores, memory, CPU model, OS, .NET, load.</summary>
internal static class MachineInfo
{
    public static IEnumerable<string> Describe()
    {
        yield return $"cores: {Environment.ProcessorCount}";
        yield return $"CPU: {FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString()}";
        yield return $"memory: {FirstValue("/proc/meminfo", "MemTotal") ?? "unknown"}";
        yield return $"OS: {OsName()} ({RuntimeInformation.OSDescription})";
        yield return $".NET: {RuntimeInformation.FrameworkDescription}";
        yield return $"load average at start: {Read("/proc/loadavg")?.Trim() ?? "unknown"}";
        yield return $"bench commit: {Git(BenchPaths.RepositoryRoot, "rev-parse --short HEAD") ?? "unknown"}{(string.IsNullOrEmpty(Git(BenchPaths.RepositoryRoot, "status --porcelain --untracked-files=no")) ? "" : " (with uncommitted changes)")}";
        var server = Infrastructure.ServerProcess.AssemblyPath;
        var serverDir = Path.GetDirectoryName(server) ?? ".";
        var serverCommit = Git(serverDir, "rev-parse --short HEAD");
        var serverDirty = !string.IsNullOrEmpty(Git(serverDir, "status --porcelain --untracked-files=no -- ."));
        yield return $"directory build: {server} (commit {serverCommit ?? "unknown"}{(serverDirty ? ", with uncommitted changes in its tree" : "")})";
    }

    public static string LoadAverage => Read("/proc/loadavg")?.Trim() ?? "unknown";

    private static string OsName()
    {
        var line = File.Exists("/etc/os-release") ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal)) : null;
        return line?["PRETTY_NAME=".Length..].Trim('"') ?? RuntimeInformation.OSDescription;
    }

    private static string? FirstValue(string path, string key) =>
        File.Exists(path)
            ? File.ReadLines(path).Where(l => l.StartsWith(key, StringComparison.Ordinal)).Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()).FirstOrDefault()
            : null;

    private static string? Read(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    private static string? Git(string directory, string arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
            using var git = Process.Start(start);
            if (git is null)
            {
                return null;
            }

            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
