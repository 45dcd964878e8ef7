using System.Diagnostics;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Mixnet.Directory.Bench.Infrastructure;

/// <summary>A single-member etcd (Debian's etcd-server) on loopback with a temporary data directory.</summary>
internal sealed class EtcdProcess : IDisposable
{
    public const string Binary = "/usr/bin/etcd";

    private readonly Process _process;
    private readonly string _dataPath;

    private EtcdProcess(Process process, string address, string dataPath)
    {
        _process = process;
        Address = address;
        _dataPath = dataPath;
    }

    public string Address { get; }

    public int Pid => _process.Id;

    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static bool Installed => File.Exists(Binary);

    public static string Version()
    {
        var start = new ProcessStartInfo(Binary, "--version") { RedirectStandardOutput = true, UseShellExecute = false };
        using var etcd = Process.Start(start)!;
        var first = etcd.StandardOutput.ReadLine() ?? "etcd";
        etcd.WaitForExit();
        return first.Trim();
    }

    public static async Task<EtcdProcess> StartAsync(CancellationToken cancellationToken)
    {
        var clientPort = PortFinder.FreePort();
        var peerPort = PortFinder.FreePort();
        var dataPath = System.IO.Directory.CreateTempSubdirectory("mixnet-bench-etcd-").FullName;
        var start = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            "--name", "bench", "--data-dir", dataPath,
            "--listen-client-urls", $"http://127.0.0.1:{clientPort}", "--advertise-client-urls", $"http://127.0.0.1:{clientPort}",
            "--listen-peer-urls", $"http://127.0.0.1:{peerPort}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{peerPort}",
            "--initial-cluster", $"bench=http://127.0.0.1:{peerPort}", "--logger", "zap", "--log-level", "error",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start etcd");
        ProcessGuard.Track(process);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var etcd = new EtcdProcess(process, $"http://127.0.0.1:{clientPort}", dataPath);
        try
        {
            using var channels = new ChannelPool(etcd.Address, 1);
            var kv = new KV.KVClient(channels[0]);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"etcd exited with {process.ExitCode} at start");
                }

                try
                {
                    await kv.RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8("ready") }, deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken);
                    return etcd;
                }
                catch (RpcException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100, cancellationToken);
                }
            }
        }
        catch
        {
            etcd.Dispose();
            throw;
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
}
