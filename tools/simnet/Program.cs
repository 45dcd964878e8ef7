using Spectre.Console.Cli;

namespace Mixnet.Directory.Simnet;

/// <summary>The simnet entry point: Ctrl+C stops the traffic, drains the counts and deregisters every node.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            // The first Ctrl+C shuts down cleanly (deregistering every node); a second one kills the process.
            if (!cancel.IsCancellationRequested)
            {
                e.Cancel = true;
                cancel.Cancel();
            }
        }

        Console.CancelKeyPress += OnCancel;
        try
        {
            var app = new CommandApp<SimulateCommand>();
            app.Configure(config =>
            {
                config.SetApplicationName("simnet");
                config.SetExceptionHandler((ex, _) =>
                {
                    Console.Error.WriteLine($"simnet: {ex.Message}");
                    return 1;
                });
            });
            return await app.RunAsync(args, cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
        }
    }
}
