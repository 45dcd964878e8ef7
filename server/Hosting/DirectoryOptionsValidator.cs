using Microsoft.Extensions.Options;

namespace Mixnet.Directory.Server.Hosting;

/// <summary>Refuses settings that cannot work, at start, with the key named.</summary>
internal sealed class DirectoryOptionsValidator : IValidateOptions<DirectoryOptions>
{
    public ValidateOptionsResult Validate(string? name, DirectoryOptions options)
    {
        var failures = new List<string>();
        if (options.HeartbeatInterval <= TimeSpan.Zero)
        {
            failures.Add("Directory:HeartbeatInterval must be positive.");
        }

        if (options.PresenceTtl <= options.HeartbeatInterval)
        {
            failures.Add("Directory:PresenceTtl must be longer than Directory:HeartbeatInterval, or live nodes would expire between heartbeats.");
        }

        if (options.MaxClockSkew <= TimeSpan.Zero)
        {
            failures.Add("Directory:MaxClockSkew must be positive.");
        }

        if (options.MetricsWindow < TimeSpan.FromMilliseconds(10))
        {
            failures.Add("Directory:MetricsWindow must be at least 10 ms.");
        }

        if (options.MaxNodes is < 1 or > 10_000_000)
        {
            failures.Add("Directory:MaxNodes must be 1..10000000.");
        }

        if (string.IsNullOrWhiteSpace(options.DataPath))
        {
            failures.Add("Directory:DataPath must be set.");
        }

        if (options.TopologyBatchWindow < TimeSpan.Zero || options.TopologyBatchWindow > TimeSpan.FromSeconds(10))
        {
            failures.Add("Directory:TopologyBatchWindow must be 0..10 s.");
        }

        if (options.WatchQueueLength is < 1 or > 10_000)
        {
            failures.Add("Directory:WatchQueueLength must be 1..10000.");
        }

        if (options.MaxMetricsReportsPerSecond < 1)
        {
            failures.Add("Directory:MaxMetricsReportsPerSecond must be positive.");
        }

        if (options.MetricsReplayDetailFrames is < 1 or > Metrics.MetricsHub.MaxReplayFrames)
        {
            failures.Add($"Directory:MetricsReplayDetailFrames must be 1..{Metrics.MetricsHub.MaxReplayFrames} (the newest frame always keeps its nodes).");
        }

        if (options.MetricsReplayBytes < 0)
        {
            failures.Add("Directory:MetricsReplayBytes must be 0 or more (0 keeps only the latest frame).");
        }

        foreach (var (tokenName, token) in options.AdminTokens)
        {
            if (string.IsNullOrWhiteSpace(token) || token.Length < 16)
            {
                failures.Add($"Directory:AdminTokens:{tokenName} must be at least 16 characters (use a random secret).");
            }
        }

        if (options.MetricsToken is { } metricsToken && metricsToken.Length < 16)
        {
            failures.Add("Directory:MetricsToken must be at least 16 characters (use a random secret).");
        }

        if (options.MetricsPort is < 1 or > 65535)
        {
            failures.Add("Directory:MetricsPort must be a port number 1..65535.");
        }

        var limits = options.RateLimits;
        if (limits.RegistrationsPerSecondPerIp < 1 || limits.RegistrationBurstPerIp < 1
            || limits.TopologyRequestsPerSecondPerIp < 1 || limits.TopologyBurstPerIp < 1 || limits.HeartbeatsPerInterval < 1
            || limits.MetricsReportBurst < 1
            || limits.StreamOpensPerSecondPerIp < 1 || limits.StreamOpenBurstPerIp < 1)
        {
            failures.Add("Directory:RateLimits values must be positive (set Directory:RateLimits:Enabled=false to turn limits off).");
        }

        if (options.MaxNodesPerHost < 0)
        {
            failures.Add("Directory:MaxNodesPerHost must be 0 (no limit) or positive.");
        }

        if (options.MaxPacketsPerSecondPerNode < 0)
        {
            failures.Add("Directory:MaxPacketsPerSecondPerNode must be 0 (no limit) or positive.");
        }

        for (var i = 0; i < options.TrustedProxies.Count; i++)
        {
            if (!TrustedProxy.TryParse(options.TrustedProxies[i], out _))
            {
                failures.Add($"Directory:TrustedProxies:{i} ('{options.TrustedProxies[i]}') must be an IP address or a CIDR network such as 10.0.0.0/8.");
            }
        }

        if (options.MaxStreams < 1)
        {
            failures.Add("Directory:MaxStreams must be positive.");
        }

        if (options.MaxStreamsPerIp < 1)
        {
            failures.Add("Directory:MaxStreamsPerIp must be positive.");
        }

        if (options.ShutdownDrain < TimeSpan.Zero || options.ShutdownDrain > TimeSpan.FromMinutes(5))
        {
            failures.Add("Directory:ShutdownDrain must be 0..5 minutes.");
        }

        if (options.ExpirySweepInterval is { } sweep && sweep <= TimeSpan.Zero)
        {
            failures.Add("Directory:ExpirySweepInterval must be positive.");
        }

        var q = options.Quality;
        if (q.Period < TimeSpan.FromSeconds(1) || q.Window < q.Period || q.LongWindow < q.Window)
        {
            failures.Add("Directory:Quality:Period must be at least 1 s, Directory:Quality:Window at least one period and Directory:Quality:LongWindow at least the window.");
        }

        if (q.LinkTolerance is < 0 or >= 1 || q.ExcludeShare is <= 0 or > 1 || q.MinLinkPackets < 1 || q.MinPeersToExclude < 1 || q.MaxHopsPerNode < 1 || q.MaxTrackedNodes < 1
            || q.ForwardingExponent is < 1 or > 64 || q.NewNodePrior is < 0 or > 1 || q.PriorWeight < 0 || q.SaveInterval <= TimeSpan.Zero)
        {
            failures.Add("Directory:Quality: LinkTolerance must be 0..1 (exclusive), ExcludeShare in (0, 1], MinLinkPackets, MinPeersToExclude, MaxHopsPerNode and MaxTrackedNodes positive, ForwardingExponent 1..64, NewNodePrior 0..1, PriorWeight ≥ 0 and SaveInterval positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
