namespace Mixnet.Directory.Server.Options;

/// <summary>The <c>Directory</c> configuration section (DESIGN.md §3).</summary>
public sealed class DirectoryOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Directory";

    /// <summary>How often nodes are told to heartbeat.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Silence after which a node leaves the topology.</summary>
    public TimeSpan PresenceTtl { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Allowed distance of a descriptor's <c>signed_at</c> from the directory's clock.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Length of one metrics frame.</summary>
    public TimeSpan MetricsWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Registry capacity.</summary>
    public int MaxNodes { get; set; } = 100_000;

    /// <summary>Where the directory keeps what must outlive a restart.</summary>
    public string DataPath { get; set; } = DefaultDataPath();

    /// <summary>The directory's Ed25519 key file; defaults to <c>{DataPath}/directory.key</c>.</summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>Topology changes within this window are published as one version batch to watchers.</summary>
    public TimeSpan TopologyBatchWindow { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Updates a watcher may have queued before it is sent a fresh snapshot instead.</summary>
    public int WatchQueueLength { get; set; } = 64;

    /// <summary>Metrics reports a second the directory plans for; nodes are told to report less often past it.</summary>
    public int MaxMetricsReportsPerSecond { get; set; } = 10_000;

    /// <summary>How often expired leases are swept; by default a quarter of the TTL, at most a second.</summary>
    public TimeSpan? ExpirySweepInterval { get; set; }

    /// <summary>The signing key path with its default applied.</summary>
    public string ResolvedSigningKeyPath => string.IsNullOrWhiteSpace(SigningKeyPath)
        ? Path.Combine(DataPath, "directory.key")
        : SigningKeyPath;

    /// <summary>The sweep interval with its default applied.</summary>
    public TimeSpan ResolvedSweepInterval => ExpirySweepInterval
        ?? TimeSpan.FromTicks(Math.Clamp(PresenceTtl.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));

    private static string DefaultDataPath() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "mixnet-directory");
}
