using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Hosting;

namespace Mixnet.Directory.Server.Limits;

/// <summary>
/// Per-client-IP token buckets (System.Threading.RateLimiting) for registrations and topology
/// requests. A refusal says when to come back.
/// </summary>
internal sealed class ClientRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress>? _registrations;
    private readonly PartitionedRateLimiter<IPAddress>? _topology;

    public ClientRateLimiter(IOptions<DirectoryOptions> options)
    {
        var limits = options.Value.RateLimits;
        if (!limits.Enabled)
        {
            return;
        }

        _registrations = Bucket(limits.RegistrationBurstPerIp, limits.RegistrationsPerSecondPerIp);
        _topology = Bucket(limits.TopologyBurstPerIp, limits.TopologyRequestsPerSecondPerIp);
    }

    /// <summary>Takes a registration token for <paramref name="client"/>; when refused, how long to wait.</summary>
    public bool TryRegister(IPAddress? client, out TimeSpan retryAfter) => TryAcquire(_registrations, client, out retryAfter);

    /// <summary>Takes a topology token for <paramref name="client"/>; when refused, how long to wait.</summary>
    public bool TryTopology(IPAddress? client, out TimeSpan retryAfter) => TryAcquire(_topology, client, out retryAfter);

    public void Dispose()
    {
        _registrations?.Dispose();
        _topology?.Dispose();
    }

    private static bool TryAcquire(PartitionedRateLimiter<IPAddress>? limiter, IPAddress? client, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (limiter is null)
        {
            return true;
        }

        using var lease = limiter.AttemptAcquire(client ?? IPAddress.None);
        if (lease.IsAcquired)
        {
            return true;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        return false;
    }

    private static PartitionedRateLimiter<IPAddress> Bucket(int burst, int perSecond) =>
        PartitionedRateLimiter.Create<IPAddress, IPAddress>(ip => RateLimitPartition.GetTokenBucketLimiter(ip, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
