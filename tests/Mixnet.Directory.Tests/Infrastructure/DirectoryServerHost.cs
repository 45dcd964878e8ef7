using System.Net;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mixnet.Directory.Server.Hosting;

namespace Mixnet.Directory.Tests.Infrastructure;

/// <summary>
/// A real directory on Kestrel, bound to 127.0.0.1 on ephemeral ports (or a given port, to
/// restart "the same" directory). Configuration comes only from the test, never from appsettings.
/// </summary>
public sealed class DirectoryServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ListenOptions _grpc;
    private readonly ListenOptions _web;
    private GrpcChannel? _channel;
    private Func<CapturedLog, bool>? _expectedErrors;
    private bool _disposed;

    private DirectoryServerHost(WebApplication app, ListenOptions grpc, ListenOptions web, string dataPath, CapturingLoggerProvider logs)
    {
        _app = app;
        _grpc = grpc;
        _web = web;
        DataPath = dataPath;
        Logs = logs;
    }

    public string DataPath { get; }

    public CapturingLoggerProvider Logs { get; }

    public IServiceProvider Services => _app.Services;

    public Uri GrpcAddress => new($"http://127.0.0.1:{_grpc.IPEndPoint!.Port}");

    public Uri WebAddress => new($"http://127.0.0.1:{_web.IPEndPoint!.Port}");

    public int GrpcPort => _grpc.IPEndPoint!.Port;

    /// <summary>A channel to the gRPC endpoint, owned by the host.</summary>
    public GrpcChannel Channel => _channel ??= GrpcChannel.ForAddress(GrpcAddress, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });

    public static async Task<DirectoryServerHost> StartAsync(
        IDictionary<string, string?>? settings = null,
        TimeProvider? time = null,
        int grpcPort = 0,
        string? dataPath = null,
        int webPort = 0)
    {
        dataPath ??= Path.Combine(Path.GetTempPath(), "mixdir-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dataPath);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = dataPath,
            EnvironmentName = "Testing",
            ApplicationName = typeof(DirectoryServerExtensions).Assembly.GetName().Name,
        });
        var config = new Dictionary<string, string?>
        {
            ["Directory:DataPath"] = dataPath,
            ["Directory:TopologyBatchWindow"] = "00:00:00.020",

            // Demo-friendly, as in appsettings.Development.json: tests register many nodes from
            // 127.0.0.1. Tests of the strict Production values set them explicitly.
            ["Directory:MaxNodesPerHost"] = "0",
            ["Directory:RequireHostMatchesCaller"] = "false",
            ["Directory:MaxPacketsPerSecondPerNode"] = "0",
            ["Directory:RateLimits:MetricsReportBurst"] = "1000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        ListenOptions? grpc = null;
        ListenOptions? web = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, grpcPort, o =>
            {
                o.Protocols = HttpProtocols.Http2;
                grpc = o;
            });
            kestrel.Listen(IPAddress.Loopback, webPort, o =>
            {
                o.Protocols = HttpProtocols.Http1;
                web = o;
            });
        });
        builder.AddMixnetDirectory();
        var app = builder.Build();
        app.MapMixnetDirectory();
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return new DirectoryServerHost(app, grpc!, web!, dataPath, logs);
    }

    /// <summary>
    /// Declares the errors this test expects the server to log. Every host checks at disposal
    /// that it logged no other error, so the check cannot be forgotten by a fixture.
    /// </summary>
    public void ExpectErrors(Func<CapturedLog, bool> expected) => _expectedErrors = expected;

    /// <summary>Fails the test if the server logged an error or worse that the test did not expect.</summary>
    public void AssertNoUnexpectedErrors(Func<CapturedLog, bool>? expected = null)
    {
        if (expected is not null)
        {
            _expectedErrors = expected;
        }

        expected ??= _expectedErrors;
        var errors = Logs.Entries.Where(e => e.Level >= LogLevel.Error && !IsClientReset(e) && (expected is null || !expected(e))).ToList();
        Assert.That(errors, Is.Empty, "the server logged unexpected errors:\n" + string.Join("\n", errors));
    }

    // grpc-dotnet logs a client that goes away while its request is still being read (an agent
    // stopping mid-report over HTTP/2, a browser tab closing mid-request over gRPC-Web/HTTP/1.1)
    // as an error with the IOException; the client did that, not the server, so no test fails for it.
    private static bool IsClientReset(CapturedLog entry) =>
        entry.Category == "Grpc.AspNetCore.Server.ServerCallHandler"
        && entry.Exception is IOException { Message: var message }
        && (message.Contains("client reset the request stream", StringComparison.Ordinal)
            || message.Contains("Unexpected end of request content", StringComparison.Ordinal));

    /// <summary>Stops the server (streams end, port freed) but keeps the data directory.</summary>
    public async Task StopAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Stops and disposes the server, then fails the test if it logged an unexpected error.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _channel?.Dispose();
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
        AssertNoUnexpectedErrors();
    }

    /// <summary>Deletes the data directory; call once no host uses it any more.</summary>
    public void DeleteData()
    {
        try
        {
            System.IO.Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
