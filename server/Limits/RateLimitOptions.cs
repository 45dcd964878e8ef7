namespace Mixnet.Directory.Server.Limits;

/// <summary>The <c>Directory:RateLimits</c> section: per-caller limits that keep one client from starving the rest.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Turns every limit below on or off (benchmarks from one address turn them off).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Sustained registrations a second from one client IP address.</summary>
    public int RegistrationsPerSecondPerIp { get; set; } = 50;

    /// <summary>Registrations one client IP may make at once (a gateway host restarting many nodes).</summary>
    public int RegistrationBurstPerIp { get; set; } = 1000;

    /// <summary>Sustained topology fetches and watch starts a second from one client IP address.</summary>
    public int TopologyRequestsPerSecondPerIp { get; set; } = 100;

    /// <summary>Topology fetches one client IP may make at once.</summary>
    public int TopologyBurstPerIp { get; set; } = 500;

    /// <summary>Sustained WatchTopology/StreamMetrics opens a second from one client IP (or IPv6 /64).</summary>
    public int StreamOpensPerSecondPerIp { get; set; } = 10;

    /// <summary>Streams one client IP may open at once (a dashboard with many tabs, a restarting gateway pool).</summary>
    public int StreamOpenBurstPerIp { get; set; } = 100;

    /// <summary>
    /// Sustained AuthorityService calls a second from one client IP (or IPv6 /64), counted before
    /// the request is read. An authority makes a handful per peer per epoch; several authorities
    /// behind one address share this.
    /// </summary>
    public int AuthorityCallsPerSecondPerIp { get; set; } = 10;

    /// <summary>AuthorityService calls one client IP may make at once (a restarted authority catching up).</summary>
    public int AuthorityCallBurstPerIp { get; set; } = 100;

    /// <summary>
    /// Heartbeats one identity may send per heartbeat interval (limited per identity, not per IP:
    /// many nodes can sit behind one address). The SDK sends one.
    /// </summary>
    public int HeartbeatsPerInterval { get; set; } = 4;

    /// <summary>
    /// Metrics reports one identity may send at once; after that one per <c>next_report_in</c>. The
    /// SDK sends a report of more than 1,024 next hops as several requests back to back.
    /// </summary>
    public int MetricsReportBurst { get; set; } = 8;
}
