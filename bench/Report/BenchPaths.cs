using System.Reflection;

namespace Mixnet.Directory.Bench.Report;

/// <summary>Where bench/ is in the source tree (recorded at build time), for results.md.</summary>
internal static class BenchPaths
{
    public static string BenchDirectory =>
        typeof(BenchPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "BenchDirectory")?.Value
        ?? AppContext.BaseDirectory;

    public static string RepositoryRoot => Path.GetFullPath(Path.Combine(BenchDirectory, ".."));
}
