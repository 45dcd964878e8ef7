using Mixnet.Directory.Server.Limits;
using Mixnet.Directory.Server.Quality;

namespace Mixnet.Directory.Server.Hosting;

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

    /// <summary>
    /// Accept a signing key file that group or others may read or write. Off by default: as ssh
    /// does with private keys, the directory refuses to start with such a file.
    /// </summary>
    public bool AllowInsecureKeyFile { get; set; }

    /// <summary>Topology changes within this window are published as one version batch to watchers.</summary>
    public TimeSpan TopologyBatchWindow { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Updates a watcher may have queued before it is sent a fresh snapshot instead.</summary>
    public int WatchQueueLength { get; set; } = 64;

    /// <summary>Metrics reports a second the directory plans for; nodes are told to report less often past it.</summary>
    public int MaxMetricsReportsPerSecond { get; set; } = 10_000;

    /// <summary>
    /// Memory the replayed frames' per-node detail may hold (the newest frame keeps its nodes
    /// regardless). A frame costs about 95 B per reporting node, so a 10,000-node frame holds about
    /// 1 MB; beyond this bound older frames are replayed with their network-wide totals only.
    /// </summary>
    public long MetricsReplayBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// How many of the newest replayed frames keep their per-node counts (1..300). The replay keeps
    /// the network-wide totals of the last 300 windows (a few dozen bytes each); per-node detail
    /// costs about 95 B per reporting node per frame, so it is kept only for the last few windows:
    /// at the default 5, about 475 B per node, whatever the network size.
    /// </summary>
    public int MetricsReplayDetailFrames { get; set; } = 5;

    /// <summary>
    /// Admin tokens by name (<c>Directory:AdminTokens:alice=...</c>). AdminService is served only
    /// when at least one is set; audit events name the token, never show it.
    /// </summary>
    public Dictionary<string, string> AdminTokens { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// When set, the Prometheus endpoint <c>/metrics</c> answers only requests carrying
    /// <c>Authorization: Bearer &lt;token&gt;</c> (at least 16 characters).
    /// </summary>
    public string? MetricsToken { get; set; }

    /// <summary>
    /// When set, <c>/metrics</c> is served only on this local port (a Kestrel endpoint of its own,
    /// e.g. <c>Kestrel:Endpoints:Metrics:Url=http://127.0.0.1:9464</c>); other ports answer 404.
    /// </summary>
    public int? MetricsPort { get; set; }

    /// <summary>Per-caller rate limits.</summary>
    public RateLimitOptions RateLimits { get; set; } = new();

    /// <summary>Quality-of-service scoring (<c>Directory:Quality</c>).</summary>
    public QualityOptions Quality { get; set; } = new();

    /// <summary>
    /// Most live identities on one canonical host, and registered from one caller address (IPv6:
    /// one /64), for sybil dampening; 0 means no limit.
    /// </summary>
    public int MaxNodesPerHost { get; set; } = 4;

    /// <summary>
    /// A node may advertise an IP literal only from that address, and a DNS name only if it
    /// resolves to the address it registers from.
    /// </summary>
    public bool RequireHostMatchesCaller { get; set; } = true;

    /// <summary>
    /// Reverse proxies (IP addresses or CIDR networks) whose <c>X-Forwarded-For</c> is believed: the
    /// caller is the rightmost address not in this list. Empty: the connection's address is the caller.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>
    /// Most packets one metrics report may claim (sent, and received) per second of the time it
    /// covers, so no node can inflate the network's totals; 0 means no limit.
    /// </summary>
    public long MaxPacketsPerSecondPerNode { get; set; } = 100_000;

    /// <summary>Most WatchTopology and StreamMetrics streams open at once, over all callers.</summary>
    public int MaxStreams { get; set; } = 20_000;

    /// <summary>
    /// Most streams one client IP (or IPv6 /64) may hold open, so one address cannot take all of
    /// <see cref="MaxStreams"/>. Applies while <c>Directory:RateLimits:Enabled</c> is true.
    /// </summary>
    public int MaxStreamsPerIp { get; set; } = 100;

    /// <summary>How long shutdown reports NOT_SERVING while still serving, so balancers drain first.</summary>
    public TimeSpan ShutdownDrain { get; set; } = TimeSpan.Zero;

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
