using Mixnet.Directory.Tools;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Simnet;

/// <summary>The simnet entry point: SIGINT (Ctrl+C) or SIGTERM stops the traffic, drains the counts and deregisters every node.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var signals = new ShutdownSignals();
        var app = new CommandApp<SimulateCommand>();
        app.Configure(config =>
        {
            config.SetApplicationName("simnet");
            config.UseStrictParsing();
            config.SetExceptionHandler((ex, _) =>
            {
                Console.Error.WriteLine($"simnet: {ex.Message}");
                return 1;
            });
        });
        return await app.RunAsync(args, signals.Token);
    }
}
