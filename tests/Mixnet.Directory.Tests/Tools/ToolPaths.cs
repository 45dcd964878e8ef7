using System.Diagnostics;

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

    /// <summary>Starts <paramref name="fileName"/> with stdout and stderr going to <paramref name="output"/> line by line.</summary>
    /// <param name="fileName">The program.</param>
    /// <param name="output">Receives both streams.</param>
    /// <param name="args">Its arguments.</param>
    /// <param name="environment">Variables to set (a null value removes one).</param>
    public static Process Start(string fileName, LineCapture output, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(args);
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => output.WriteLine(e.Data);
        process.ErrorDataReceived += (_, e) => output.WriteLine(e.Data);
        Assert.That(process.Start(), Is.True, fileName);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

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
