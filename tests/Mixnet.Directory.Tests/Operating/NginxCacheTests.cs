using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Mixnet.Directory.Server.Topology;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;

namespace Mixnet.Directory.Tests.Operating;

/// <summary>
/// A real nginx cache in front of the directory's Web endpoint, as a CDN would be: an unchanged
/// topology costs the directory one full response however many clients fetch it, and a change
/// reaches clients within the stated max-age.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class NginxCacheTests
{
    private const string NginxPath = "/usr/sbin/nginx";

    [Test]
    public async Task ThousandFetchesThroughNginx_CostOneFullResponse_AndAChangeArrivesWithinMaxAge()
    {
        if (!File.Exists(NginxPath))
        {
            Assert.Ignore($"{NginxPath} is not installed here (.ci/run installs it)");
        }

        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?> { ["Directory:TopologyMaxAge"] = "00:00:01" });
        var stats = server.Services.GetRequiredService<TopologyHttpStats>();
        var clients = new RawClients(server.Channel);
        using var first = new TestNode();
        var v1 = (await clients.Registry.RegisterNodeAsync(first.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within()).TopologyVersion;

        await using var nginx = await Nginx.StartAsync(server.WebAddress.Port);
        using var http = new HttpClient { BaseAddress = nginx.Address };

        var tags = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForAsync(0, 1_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, ct) =>
        {
            using var response = await http.GetAsync("/v1/topology", ct);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await response.Content.ReadAsByteArrayAsync(ct), Is.Not.Empty);
            tags.Add(response.Headers.ETag!.Tag);
        }).Within(TimeSpan.FromSeconds(60));

        Assert.That(tags.Distinct().Single(), Is.EqualTo($"\"v{v1}\""), "every client saw the one version");
        Assert.That(stats.FullResponses, Is.EqualTo(1), "1,000 fetches of an unchanged topology cost one full response (later ones are cache hits or 304 revalidations)");

        // A change: the next revalidation after max-age brings it; a sequential poll, bounded in time.
        using var second = new TestNode();
        var v2 = (await clients.Registry.RegisterNodeAsync(second.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within()).TopologyVersion;
        var expected = $"\"v{v2}\"";
        var changedAt = Stopwatch.StartNew();
        var seen = string.Empty;
        var polls = 0;
        while (seen != expected && changedAt.Elapsed < TimeSpan.FromSeconds(15))
        {
            using var response = await http.GetAsync("/v1/topology").Within();
            seen = response.Headers.ETag?.Tag ?? string.Empty;
            polls++;
        }

        Assert.That(seen, Is.EqualTo(expected), $"clients through nginx never saw the new version ({polls} polls)");
        Assert.That(changedAt.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1) + TimeSpan.FromSeconds(4)), "within max-age (1 s) plus slack for a loaded machine");
        Assert.That(stats.FullResponses, Is.EqualTo(2), $"one more full response for the new version, however many polls ({polls})");

        // Unchanged again: once max-age passes nginx revalidates with If-None-Match and the
        // directory answers 304, so the version stays at one full response.
        var revalidatedBefore = stats.NotModified;
        var unchangedAt = Stopwatch.StartNew();
        while (stats.NotModified == revalidatedBefore && unchangedAt.Elapsed < TimeSpan.FromSeconds(15))
        {
            using var response = await http.GetAsync("/v1/topology").Within();
            Assert.That(response.Headers.ETag?.Tag, Is.EqualTo(expected));
        }

        Assert.That(stats.NotModified, Is.GreaterThan(revalidatedBefore), "nginx revalidated with the ETag and got a 304");
        Assert.That(stats.FullResponses, Is.EqualTo(2));
        server.AssertNoUnexpectedErrors();
        server.DeleteData();
    }

    /// <summary>An nginx master process with its own prefix, config, cache and logs in a temp dir.</summary>
    private sealed class Nginx : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _root;

        private Nginx(Process process, string root, int port)
        {
            _process = process;
            _root = root;
            Address = new Uri($"http://127.0.0.1:{port}");
        }

        public Uri Address { get; }

        public static async Task<Nginx> StartAsync(int upstreamPort)
        {
            var root = Path.Combine(Path.GetTempPath(), "mixdir-nginx-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(root);
            var port = FreePort();
            var conf = Path.Combine(root, "nginx.conf");
            await File.WriteAllTextAsync(conf, string.Create(CultureInfo.InvariantCulture, $$"""
                # Workers run as the user that started nginx (root in CI), so they can write the temp dir.
                user root root;
                worker_processes 1;
                pid {{root}}/nginx.pid;
                error_log {{root}}/error.log warn;
                events { worker_connections 256; }
                http {
                    access_log {{root}}/access.log;
                    client_body_temp_path {{root}}/client_body;
                    proxy_temp_path {{root}}/proxy;
                    fastcgi_temp_path {{root}}/fastcgi;
                    uwsgi_temp_path {{root}}/uwsgi;
                    scgi_temp_path {{root}}/scgi;
                    proxy_cache_path {{root}}/cache levels=1:2 keys_zone=topology:1m max_size=64m inactive=10m use_temp_path=off;
                    server {
                        listen 127.0.0.1:{{port}};
                        location / {
                            proxy_pass http://127.0.0.1:{{upstreamPort}};
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_cache topology;
                            proxy_cache_lock on;
                            proxy_cache_revalidate on;
                            proxy_cache_valid 200 1s;
                            add_header X-Cache-Status $upstream_cache_status;
                        }
                    }
                }
                """));
            var process = Process.Start(new ProcessStartInfo(NginxPath)
            {
                ArgumentList = { "-c", conf, "-p", root, "-e", Path.Combine(root, "error.log"), "-g", "daemon off;" },
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            var nginx = new Nginx(process, root, port);
            await nginx.WaitUntilListeningAsync(port);
            return nginx;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().Within();
            }

            _process.Dispose();
            try
            {
                System.IO.Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private async Task WaitUntilListeningAsync(int port)
        {
            // Each attempt is a real connect, answered at once (refused or accepted); bounded in time.
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                if (_process.HasExited)
                {
                    var error = await _process.StandardError.ReadToEndAsync();
                    var log = File.Exists(Path.Combine(_root, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(_root, "error.log")) : string.Empty;
                    Assert.Fail($"nginx exited with {_process.ExitCode}: {error}\n{log}");
                }

                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync(IPAddress.Loopback, port).Within();
                    return;
                }
                catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(15))
                {
                    await Task.Yield();
                }
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
