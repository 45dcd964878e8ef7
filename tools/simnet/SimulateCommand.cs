using System.Net.Sockets;
using Grpc.Core;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Simnet;

/// <summary>simnet's only command: run the simulation until the duration, the packet limit or Ctrl+C.</summary>
public sealed class SimulateCommand : AsyncCommand<SimnetSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SimnetSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var simulator = new Simulator(settings.ToOptions(), Console.Out);
        try
        {
            var result = await simulator.RunAsync(cancellationToken);
            return result.Drained ? 0 : 3;
        }
        catch (RpcException ex)
        {
            var reason = FindSocketError(ex) ?? $"{ex.StatusCode}: {ex.Status.Detail}";
            await Console.Error.WriteLineAsync($"simnet: cannot reach the directory at {settings.ToOptions().ObservedDirectory}: {reason}");
            return 2;
        }
    }

    private static string? FindSocketError(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
            {
                return socket.Message;
            }
        }

        return null;
    }
}
