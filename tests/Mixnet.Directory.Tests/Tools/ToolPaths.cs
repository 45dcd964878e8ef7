namespace Mixnet.Directory.Tests.Tools;

/// <summary>
/// Where the built programs are: each project's own build output (…/bin/&lt;configuration&gt;/net10.0),
/// as the README says to run them. Not the copies next to the tests: this project runs on the
/// ASP.NET Core shared framework, so its output lacks packages the tools need.
/// </summary>
public static class ToolPaths
{
    /// <summary>The repository root (where Directory.sln is).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Directory.sln")))
            {
                root = root.Parent;
            }

            Assert.That(root, Is.Not.Null, "the repository root (Directory.sln) above " + AppContext.BaseDirectory);
            return root!.FullName;
        }
    }

    /// <summary>A tool's dll, e.g. tools/mixdir/bin/Debug/net10.0/mixdir.dll.</summary>
    public static string ToolDll(string tool) => Path.Combine(RepositoryRoot, "tools", tool, Configuration, tool + ".dll");

    /// <summary>The directory server's dll, built by the same configuration as the tests.</summary>
    public static string ServerDll => Path.Combine(RepositoryRoot, "server", Configuration, "Mixnet.Directory.Server.dll");

    /// <summary>The dotnet host running this test (set by the dotnet CLI for its children), else the one on PATH.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    // bin/<configuration>/<framework>, as this test project's own output folder.
    private static string Configuration
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine("bin", output.Parent!.Name, output.Name);
        }
    }
}
