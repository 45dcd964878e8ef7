using System.ComponentModel;
using Mixnet.Directory.Client;
using Mixnet.Directory.Tools;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Simnet;

/// <summary>simnet's options.</summary>
public sealed class SimnetSettings : CommandSettings
{
    [CommandOption("--directory <URL>")]
    [Description("The directory's gRPC address.")]
    [DefaultValue("http://localhost:5000")]
    public string Directory { get; init; } = "http://localhost:5000";

    [CommandOption("--authority <URL=KEY>")]
    [Description("A directory authority and its pinned Ed25519 key (64 hex digits or base64); repeat for each. Agents announce to all, routes come from their consensus; --directory is then not used.")]
    public string[] Authorities { get; init; } = [];

    [CommandOption("--threshold <T>")]
    [Description("Authority signatures the consensus needs (default a strict majority, N/2+1).")]
    public int? Threshold { get; init; }

    [CommandOption("--mixnodes <N>")]
    [Description("Mixnodes, spread over 3 layers.")]
    [DefaultValue(30)]
    public int Mixnodes { get; init; } = 30;

    [CommandOption("--gateways <M>")]
    [Description("Gateways.")]
    [DefaultValue(3)]
    public int Gateways { get; init; } = 3;

    [CommandOption("--rate <P>")]
    [Description("Packets per second along random gateway-L1-L2-L3-gateway routes, network-wide.")]
    [DefaultValue(200.0)]
    public double Rate { get; init; } = 200;

    [CommandOption("--churn <TIME>")]
    [Description("Every TIME (e.g. 10s) one random node leaves and a fresh one joins; 0 for none.")]
    [DefaultValue("0")]
    public string Churn { get; init; } = "0";

    [CommandOption("--duration <TIME>")]
    [Description("How long to send traffic (e.g. 30s, 5m); until Ctrl+C when not given.")]
    public string? Duration { get; init; }

    [CommandOption("--packets <N>")]
    [Description("Stop after N packets.")]
    public long? Packets { get; init; }

    [CommandOption("--host <HOST>")]
    [Description("The host the nodes announce (nothing listens there).")]
    [DefaultValue("127.0.0.1")]
    public string Host { get; init; } = "127.0.0.1";

    [CommandOption("--base-port <PORT>")]
    [Description("The first node's mix port; each node gets the next one.")]
    [DefaultValue(40000)]
    public int BasePort { get; init; } = 40000;

    [CommandOption("--status <TIME>")]
    [Description("How often to print a status line.")]
    [DefaultValue("5s")]
    public string Status { get; init; } = "5s";

    [CommandOption("--seed <N>")]
    [Description("Seed the route and churn choices, for a repeatable run.")]
    public int? Seed { get; init; }

    [CommandOption("--droppers <PERCENT>")]
    [Description("Share of mixnodes that drop packets (e.g. 5%); they report what they did.")]
    [DefaultValue("0")]
    public string Droppers { get; init; } = "0";

    [CommandOption("--drop-rate <PERCENT>")]
    [Description("Share of its packets a dropper drops.")]
    [DefaultValue("50%")]
    public string DropRate { get; init; } = "50%";

    [CommandOption("--liars <PERCENT>")]
    [Description("Share of mixnodes that under-report receipts from, and over-report sends to, some honest peers.")]
    [DefaultValue("0")]
    public string Liars { get; init; } = "0";

    [CommandOption("--link-loss <RATE>")]
    [Description("Chance a packet is lost on a link (e.g. 0.5% or 0.005).")]
    [DefaultValue("0")]
    public string LinkLoss { get; init; } = "0";

    [CommandOption("--truth-out <FILE>")]
    [Description("Write {\"droppers\": [hex], \"liars\": [hex]} to FILE (at start and at the end).")]
    public string? TruthOut { get; init; }

    /// <summary>"5%", "5 %", "0.05" → 0.05; false when not a number.</summary>
    internal static bool TryParseShare(string text, out double share)
    {
        var t = text.Trim();
        var percent = t.EndsWith('%');
        if (percent)
        {
            t = t[..^1].TrimEnd();
        }

        if (!double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out share) || double.IsNaN(share))
        {
            return false;
        }

        share = percent ? share / 100 : share;
        return true;
    }

    public override ValidationResult Validate()
    {
        foreach (var (name, text) in new[] { ("droppers", Droppers), ("drop-rate", DropRate), ("liars", Liars), ("link-loss", LinkLoss) })
        {
            if (!TryParseShare(text, out var share) || share is < 0 or > 1)
            {
                return ValidationResult.Error($"--{name}: '{text}' is not a share of 0..100 % (e.g. 5% or 0.05).");
            }
        }

        if (!Uri.TryCreate(Directory, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return ValidationResult.Error($"--directory: '{Directory}' is not an http:// or https:// URL.");
        }

        foreach (var authority in Authorities)
        {
            if (!TryParseAuthority(authority, out _))
            {
                return ValidationResult.Error($"--authority: '{authority}' is not URL=KEY (an http:// or https:// URL, then the 32-byte key as 64 hex digits or base64).");
            }
        }

        if (!DurationText.TryParse(Churn, out _))
        {
            return ValidationResult.Error($"--churn: '{Churn}' is not a duration (e.g. 10s, 0 for none).");
        }

        if (Duration is not null && (!DurationText.TryParse(Duration, out var duration) || duration <= TimeSpan.Zero))
        {
            return ValidationResult.Error($"--duration: '{Duration}' is not a positive duration (e.g. 30s, 5m).");
        }

        if (!DurationText.TryParse(Status, out var status) || status <= TimeSpan.Zero)
        {
            return ValidationResult.Error($"--status: '{Status}' is not a positive duration.");
        }

        if (Packets is <= 0)
        {
            return ValidationResult.Error("--packets: must be positive.");
        }

        try
        {
            ToOptions().Validate();
        }
        catch (ArgumentException ex)
        {
            return ValidationResult.Error("--" + ex.Message);
        }

        return ValidationResult.Success();
    }

    /// <summary>"http://127.0.0.1:5001=KEY" → the authority; the key may be base64 with '=' padding, so the first '=' splits.</summary>
    internal static bool TryParseAuthority(string text, out DirectoryAuthority authority)
    {
        authority = new DirectoryAuthority();
        var split = text.IndexOf('=', StringComparison.Ordinal);
        if (split <= 0
            || !Uri.TryCreate(text[..split], UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !Signing.KeyFingerprint.TryParse(text[(split + 1)..], out var key))
        {
            return false;
        }

        authority = new DirectoryAuthority(uri, key);
        return true;
    }

    public SimulatorOptions ToOptions()
    {
        var churn = DurationText.TryParse(Churn, out var c) ? c : TimeSpan.Zero;
        var status = DurationText.TryParse(Status, out var s) && s > TimeSpan.Zero ? s : TimeSpan.FromSeconds(5);
        TimeSpan? duration = Duration is not null && DurationText.TryParse(Duration, out var d) ? d : null;
        var options = new SimulatorOptions
        {
            Directory = new Uri(Directory),
            Mixnodes = Mixnodes,
            Gateways = Gateways,
            Rate = Rate,
            Churn = churn,
            Duration = duration,
            MaxPackets = Packets,
            Host = Host,
            BasePort = BasePort,
            StatusInterval = status,
            Seed = Seed,
            DropperShare = TryParseShare(Droppers, out var droppers) ? droppers : 0,
            DropRate = TryParseShare(DropRate, out var dropRate) ? dropRate : 0.5,
            LiarShare = TryParseShare(Liars, out var liars) ? liars : 0,
            LinkLoss = TryParseShare(LinkLoss, out var loss) ? loss : 0,
            TruthOut = TruthOut,
            AuthorityThreshold = Threshold,
        };
        foreach (var text in Authorities)
        {
            if (TryParseAuthority(text, out var authority))
            {
                options.Authorities.Add(authority);
            }
        }

        return options;
    }
}
