using Grpc.Core;
using Grpc.Health.V1;
using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Cli.Rendering;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>
/// <c>mixdir health</c>: the standard gRPC health check (grpc.health.v1 Check) and nothing else,
/// for scripts and probes: exit 0 when SERVING, 1 when the directory answers anything else
/// (NOT_SERVING while it shuts down), 2 when it cannot be reached.
/// </summary>
public sealed class HealthCommand(CliConsole console) : DirectoryCommand<HealthSettings>(console)
{
    protected override async Task<int> RunAsync(DirectoryTarget target, HealthSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(settings);

        // No GetDirectoryInfo first: a probe asks one question, and a draining directory may still answer others.
        using var channel = target.OpenChannel();
        var client = new Health.HealthClient(channel);
        string status;
        try
        {
            var response = await client.CheckAsync(new HealthCheckRequest { Service = settings.Service }, target.CallOptions(cancellationToken));
            status = Name(response.Status);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound && !cancellationToken.IsCancellationRequested)
        {
            status = "SERVICE_UNKNOWN"; // What the Watch method calls a service the server does not know.
        }

        if (settings.Format == OutputFormat.Json)
        {
            JsonOut.Write(Console.RawOut, json =>
            {
                json.WriteString("directory", target.Address);
                json.WriteString("service", settings.Service);
                json.WriteString("status", status);
            });
        }
        else
        {
            Console.RawOut.WriteLine(status);
            Console.RawOut.Flush();
        }

        return status == "SERVING" ? ExitCodes.Success : ExitCodes.NotServing;
    }

    private static string Name(HealthCheckResponse.Types.ServingStatus status) => status switch
    {
        HealthCheckResponse.Types.ServingStatus.Serving => "SERVING",
        HealthCheckResponse.Types.ServingStatus.NotServing => "NOT_SERVING",
        HealthCheckResponse.Types.ServingStatus.ServiceUnknown => "SERVICE_UNKNOWN",
        _ => "UNKNOWN",
    };
}
