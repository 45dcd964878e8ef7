using Mixnet.Directory.Tools;

namespace Mixnet.Directory.Cli;

/// <summary>The mixdir entry point: SIGINT (Ctrl+C) and SIGTERM end the command gracefully, and it runs the command line.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var signals = new ShutdownSignals();
        return await CliApp.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable, signals.Token);
    }
}
