using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Keys;

namespace Mixnet.Directory.Server.Hosting;

/// <summary>
/// Loads the signing key before the server accepts calls, so a corrupt or unreadable key stops
/// start-up with its message instead of failing the first request.
/// </summary>
internal sealed class DirectoryStartup(DirectorySigningKey key, IOptions<DirectoryOptions> options, ILogger<DirectoryStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = key.Fingerprint;
        var o = options.Value;
        var version = typeof(DirectoryStartup).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        DirectoryLog.Started(logger, version, o.PresenceTtl, o.HeartbeatInterval, o.MaxNodes);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
