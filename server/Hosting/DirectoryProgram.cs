namespace Mixnet.Directory.Server.Hosting;

/// <summary>
/// The process: builds and runs the directory, and turns a start-up failure into one line on
/// stderr and exit code 1 (an unhandled exception would abort the process with a stack trace
/// and code 134, which tells an operator nothing about which setting or file to fix).
/// </summary>
public static class DirectoryProgram
{
    /// <summary>Runs until shut down; returns the process exit code.</summary>
    /// <param name="args">Command-line arguments (configuration overrides).</param>
    /// <param name="error">Where the failure line goes; stderr by default.</param>
    public static int Run(string[] args, TextWriter? error = null)
    {
        try
        {
            var builder = WebApplication.CreateBuilder(args);
            builder.UseDefaultDirectoryEndpoints();
            builder.AddMixnetDirectory();
            using var app = builder.Build();
            app.MapMixnetDirectory();
            app.Run();
            return 0;
        }
#pragma warning disable CA1031 // Any failure must end as one line and exit code 1, whatever its type.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            (error ?? Console.Error).WriteLine("mixnet-directory: cannot start: " + StartupFailure.Describe(ex));
            return 1;
        }
    }
}
