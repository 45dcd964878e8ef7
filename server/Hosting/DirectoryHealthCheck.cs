using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mixnet.Directory.Server.Hosting;

/// <summary>Serving while the host runs; NOT_SERVING as soon as shutdown begins, so balancers drain first.</summary>
internal sealed class DirectoryHealthCheck(IHostApplicationLifetime lifetime, DrainState drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.IsDraining || lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("the directory is shutting down")
            : HealthCheckResult.Healthy());
}
