using Mixnet.Directory.Client;

namespace Mixnet.Directory.Simnet;

/// <summary>What to simulate and against which directory.</summary>
public sealed class SimulatorOptions
{
    /// <summary>The directory's gRPC address (not used when <see cref="Authorities"/> are given).</summary>
    public Uri Directory { get; set; } = new("http://localhost:5000");

    /// <summary>
    /// Directory authorities with their pinned keys: agents announce to all of them, routes are
    /// sampled from the consensus they sign, and metrics are observed at the first. Empty: one
    /// directory at <see cref="Directory"/>.
    /// </summary>
    public IList<DirectoryAuthority> Authorities { get; } = new List<DirectoryAuthority>();

    /// <summary>Signatures the consensus needs; ⌊N/2⌋+1 when null.</summary>
    public int? AuthorityThreshold { get; set; }

    /// <summary>Where the status, the metrics stream and the directory info come from: the first authority, or <see cref="Directory"/>.</summary>
    internal Uri ObservedDirectory => Authorities.Count > 0 ? Authorities[0].Address! : Directory;

    /// <summary>Mixnodes, spread evenly over the three layers.</summary>
    public int Mixnodes { get; set; } = 30;

    /// <summary>Gateways.</summary>
    public int Gateways { get; set; } = 3;

    /// <summary>Packets per second sent along random routes, network-wide (each crosses four links).</summary>
    public double Rate { get; set; } = 200;

    /// <summary>Every this often one random node leaves and a fresh one joins; zero for none.</summary>
    public TimeSpan Churn { get; set; } = TimeSpan.Zero;

    /// <summary>How long to send traffic once the nodes are up; null until cancelled.</summary>
    public TimeSpan? Duration { get; set; }

    /// <summary>Stop sending after this many packets; null for no limit.</summary>
    public long? MaxPackets { get; set; }

    /// <summary>The host the nodes announce (nothing listens: the nodes live in this process).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The first node's mix port; every node gets its own.</summary>
    public int BasePort { get; set; } = 40000;

    /// <summary>Agents starting at once.</summary>
    public int StartConcurrency { get; set; } = 64;

    /// <summary>How long to wait for an agent's registration before carrying on without it.</summary>
    public TimeSpan RegisterTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often packets are generated (in one batch per tick).</summary>
    public TimeSpan Tick { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a status line is printed.</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long, at the end, to wait for every node's last counts to reach the directory.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Seeds route choice and churn; random when null.</summary>
    public int? Seed { get; set; }

    /// <summary>Share of mixnodes (0..1) that drop packets they should forward; they report honestly what they did.</summary>
    public double DropperShare { get; set; }

    /// <summary>Share of a dropper's packets it drops (0..1).</summary>
    public double DropRate { get; set; } = 0.5;

    /// <summary>
    /// Share of mixnodes (0..1) that lie about some honest peers (about one in ten of those they
    /// exchange packets with): they under-report receipts from them and over-report sends to them.
    /// </summary>
    public double LiarShare { get; set; }

    /// <summary>Chance (0..1) that a packet is lost on any one link between nodes.</summary>
    public double LinkLoss { get; set; }

    /// <summary>Where to write which nodes are droppers and liars (JSON: droppers, liars as identity hex); none when null.</summary>
    public string? TruthOut { get; set; }

    /// <summary>Throws when the options cannot work.</summary>
    public void Validate()
    {
        if (Mixnodes < 3)
        {
            throw new ArgumentException("mixnodes must be at least 3 (one per layer).", nameof(Mixnodes));
        }

        if (Gateways < 1)
        {
            throw new ArgumentException("gateways must be at least 1.", nameof(Gateways));
        }

        if (Rate < 0 || double.IsNaN(Rate) || double.IsInfinity(Rate))
        {
            throw new ArgumentException("rate must be zero or more packets per second.", nameof(Rate));
        }

        if (Churn < TimeSpan.Zero)
        {
            throw new ArgumentException("churn must be zero (off) or a positive interval.", nameof(Churn));
        }

        if (BasePort < 1 || BasePort + Mixnodes + Gateways - 1 > 65535)
        {
            throw new ArgumentException($"base-port {BasePort} leaves no room for {Mixnodes + Gateways} ports below 65536.", nameof(BasePort));
        }

        foreach (var (name, value) in new[] { ("droppers", DropperShare), ("drop-rate", DropRate), ("liars", LiarShare), ("link-loss", LinkLoss) })
        {
            if (value is < 0 or > 1 || double.IsNaN(value))
            {
                throw new ArgumentException($"{name} must be 0..100 % (0..1).", name);
            }
        }

        for (var i = 0; i < Authorities.Count; i++)
        {
            if (Authorities[i].Address is null || !Signing.KeyFingerprint.TryParse(Authorities[i].Key, out _))
            {
                throw new ArgumentException($"authority: entry {i + 1} needs an address and a 32-byte key (64 hex digits or base64).", nameof(Authorities));
            }
        }

        if (AuthorityThreshold is { } threshold && (Authorities.Count == 0 || threshold <= Authorities.Count / 2 || threshold > Authorities.Count))
        {
            throw new ArgumentException($"threshold must be a strict majority of the {Authorities.Count} authorities and at most all of them.", nameof(AuthorityThreshold));
        }

        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("host must be an IP literal or DNS name.", nameof(Host));
        }
    }
}
