using System.Diagnostics;
using System.Reflection;
using System.Text;
using Grpc.Core;
using Grpc.Health.V1;

namespace Mixnet.Directory.Bench.Infrastructure;

/// <summary>
/// The directory as a separate process on loopback (the Release build of server/), with its
/// CPU time and memory read from /proc. Disposing kills exactly this process.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly StringBuilder _output = new();
    private readonly string _dataPath;
    private readonly ProcessStartInfo _start;
    private Process _process;

    private ServerProcess(Process process, ProcessStartInfo start, string grpcAddress, string webAddress, string dataPath, string description)
    {
        _process = process;
        _start = start;
        GrpcAddress = grpcAddress;
        WebAddress = webAddress;
        _dataPath = dataPath;
        Description = description;
    }

    public string GrpcAddress { get; }

    /// <summary>The HTTP/1.1 endpoint that serves /metrics.</summary>
    public string WebAddress { get; }

    /// <summary>The settings this server was started with, for the results file.</summary>
    public string Description { get; }

    public int Pid => _process.Id;

    public static string AssemblyPath =>
        Environment.GetEnvironmentVariable("MIXNET_BENCH_SERVER")
        ?? typeof(ServerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "ServerAssembly").Value!;

    public static async Task<ServerProcess> StartAsync(ServerSettings settings, CancellationToken cancellationToken)
    {
        var dll = AssemblyPath;
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The directory server is not built at {dll}; run `dotnet build server -c Release` (dotnet run --project bench builds it).", dll);
        }

        var grpcPort = PortFinder.FreePort();
        var webPort = PortFinder.FreePort();
        var dataPath = System.IO.Directory.CreateTempSubdirectory("mixnet-bench-").FullName;
        var args = new List<string>
        {
            dll,
            $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{grpcPort}",
            $"--Kestrel:Endpoints:Web:Url=http://127.0.0.1:{webPort}",
            $"--Directory:DataPath={dataPath}",
            "--Directory:PresenceTtl=00:10:00",
            "--Directory:MaxClockSkew=01:00:00",
            // Per-IP and per-node rate limits guard a public directory against abuse; the bench is one
            // IP driving thousands of nodes, so it measures capacity with them off.
            "--Directory:RateLimits:Enabled=false",
            // Likewise the Production sybil and traffic caps: every bench node is on 127.0.0.1.
            "--Directory:MaxNodesPerHost=0",
            "--Directory:RequireHostMatchesCaller=false",
            "--Directory:MaxPacketsPerSecondPerNode=0",
            $"--Directory:MaxNodes={settings.MaxNodes}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
        };
        args.AddRange(settings.ExtraArguments);
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in ServerSettings.Common.Concat(settings.Environment))
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the directory server");
        ProcessGuard.Track(process);
        var description = string.Join(' ', ServerSettings.Common.Concat(settings.Environment).Select(e => $"{e.Key}={e.Value}")
            .Concat([$"MaxNodes={settings.MaxNodes}", "PresenceTtl=00:10:00", "RateLimits:Enabled=false"]).Concat(settings.ExtraArguments));
        var server = new ServerProcess(process, start, $"http://127.0.0.1:{grpcPort}", $"http://127.0.0.1:{webPort}", dataPath, description);
        server.Attach(process);
        try
        {
            await server.WaitReadyAsync(cancellationToken);
            Console.WriteLine($"directory pid {process.Id} serving {server.GrpcAddress} ({description})");
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>SIGKILL: the directory gets no chance to drain, flush or deregister anything.</summary>
    public void KillHard()
    {
        ProcessGuard.Kill(_process);
    }

    /// <summary>Starts the directory again with the same ports, data directory (and so signing key) and settings.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        var old = _process;
        var process = Process.Start(_start) ?? throw new InvalidOperationException("could not restart the directory server");
        ProcessGuard.Track(process);
        _process = process;
        old.Dispose();
        Attach(process);
        await WaitReadyAsync(cancellationToken);
        Console.WriteLine($"directory restarted as pid {process.Id} serving {GrpcAddress}");
    }

    /// <summary>User plus system CPU time of the server process so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public long ResidentBytes => ProcStatus.ResidentBytes(Pid);

    public long PeakResidentBytes => ProcStatus.PeakResidentBytes(Pid);

    public bool ResetPeak() => ProcStatus.ResetPeak(Pid);

    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public void Dispose()
    {
        ProcessGuard.Kill(_process);
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(_dataPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path
        : "dotnet";

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var pool = new ChannelPool(GrpcAddress, 1);
        var client = new Health.HealthClient(pool[0]);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the directory server exited with {_process.ExitCode} at start:\n{RecentOutput}");
            }

            try
            {
                var reply = await client.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken);
                if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (RpcException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"the directory server did not become healthy in 60 s:\n{RecentOutput}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private void Attach(Process process)
    {
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length > 64 * 1024)
            {
                _output.Remove(0, _output.Length / 2);
            }

            _output.AppendLine(line);
        }
    }
}
