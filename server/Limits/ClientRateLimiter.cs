using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Hosting;

namespace Mixnet.Directory.Server.Limits;

/// <summary>
/// Per-client-IP token buckets (System.Threading.RateLimiting) for registrations, topology
/// requests and stream opens. A refusal says when to come back. IPv6 callers count per /64 and
/// IPv4-mapped addresses as IPv4 (<see cref="ClientAddress"/>).
/// </summary>
/// <remarks>
/// Memory: the partitioned limiter drops a bucket once it has been full (idle) for 10 seconds, so
/// each table holds only the addresses seen within about burst/rate + 10 s.
/// </remarks>
internal sealed class ClientRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress>? _registrations;
    private readonly PartitionedRateLimiter<IPAddress>? _topology;
    private readonly PartitionedRateLimiter<IPAddress>? _streams;
    private readonly PartitionedRateLimiter<IPAddress>? _authority;

    public ClientRateLimiter(IOptions<DirectoryOptions> options)
    {
        var limits = options.Value.RateLimits;
        if (!limits.Enabled)
        {
            return;
        }

        _registrations = Bucket(limits.RegistrationBurstPerIp, limits.RegistrationsPerSecondPerIp);
        _topology = Bucket(limits.TopologyBurstPerIp, limits.TopologyRequestsPerSecondPerIp);
        _streams = Bucket(limits.StreamOpenBurstPerIp, limits.StreamOpensPerSecondPerIp);
        _authority = Bucket(limits.AuthorityCallBurstPerIp, limits.AuthorityCallsPerSecondPerIp);
    }

    /// <summary>Takes a registration token for <paramref name="client"/>; when refused, how long to wait.</summary>
    public bool TryRegister(IPAddress? client, out TimeSpan retryAfter) => TryAcquire(_registrations, client, out retryAfter);

    /// <summary>Takes a topology token for <paramref name="client"/>; when refused, how long to wait.</summary>
    public bool TryTopology(IPAddress? client, out TimeSpan retryAfter) => TryAcquire(_topology, client, out retryAfter);

    /// <summary>Takes a stream-open token for <paramref name="client"/>; when refused, how long to wait.</summary>
    public bool TryOpenStream(IPAddress? client, out TimeSpan retryAfter) => TryAcquire(_streams, client, out retryAfter);

    /// <summary>Takes an AuthorityService call token for <paramref name="client"/>; when refused, how long to wait.</summary>
    public bool TryAuthorityCall(IPAddress? client, out TimeSpan retryAfter) => TryAcquire(_authority, client, out retryAfter);

    public void Dispose()
    {
        _registrations?.Dispose();
        _topology?.Dispose();
        _streams?.Dispose();
        _authority?.Dispose();
    }

    private static bool TryAcquire(PartitionedRateLimiter<IPAddress>? limiter, IPAddress? client, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (limiter is null)
        {
            return true;
        }

        using var lease = limiter.AttemptAcquire(ClientAddress.KeyOf(client));
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
