using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Cli.Rendering;
using Mixnet.Directory.Client;

namespace Mixnet.Directory.Cli.Commands;

/// <summary><c>mixdir watch</c>: one line (or with -o json one object) per node that joins, leaves or changes, until Ctrl+C.</summary>
public sealed class WatchCommand(CliConsole console) : DirectoryCommand<DirectorySettings>(console)
{
    protected override async Task<int> RunAsync(DirectorySession session, DirectorySettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        var output = Console.RawOut;
        Topology? previous = null;
        try
        {
            await foreach (var update in session.Client.WatchTopologyAsync(cancellationToken))
            {
                if (settings.Format == OutputFormat.Json)
                {
                    TopologyChangesJson.Write(output, previous, update);
                }
                else
                {
                    foreach (var line in TopologyChanges.Describe(previous, update))
                    {
                        output.WriteLine(line);
                    }
                }

                output.Flush();
                previous = update.Topology;
            }
        }
        catch (Exception ex) when ((ex is OperationCanceledException or Grpc.Core.RpcException) && cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: the normal way to end a live view.
        }

        return ExitCodes.Success;
    }
}
