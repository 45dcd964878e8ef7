using System.Globalization;
using Mixnet.Directory.Bench.Load;

namespace Mixnet.Directory.Bench;

/// <summary>Command-line settings; every size has a full and a --quick default.</summary>
internal sealed class BenchOptions
{
    public static readonly string[] AllScenarios =
        ["serialize", "baseline", "heartbeat", "topology-not-modified", "topology-full", "register", "watch", "metrics", "quality", "quality-cost", "memory", "etcd", "killed-subscriber", "consensus", "soak"];

    public List<string> Scenarios { get; } = [];

    public bool Quick { get; private set; }

    public TimeSpan Warmup { get; private set; }

    public TimeSpan Duration { get; private set; }

    /// <summary>Closed-loop shape for small unary calls (health, heartbeat, conditional topology, register, lease keep-alive).</summary>
    public LoadShape Unary { get; private set; }

    /// <summary>Closed-loop shape for multi-megabyte responses (full topology, etcd range).</summary>
    public LoadShape Bulk { get; private set; }

    /// <summary>HTTP/2 stream receive window of the bulk channels in bytes (--bulk-window KiB, default 4 MiB), so a multi-megabyte response is not paced by WINDOW_UPDATE round trips.</summary>
    public int BulkStreamWindow { get; private set; } = 4 * 1024 * 1024;

    /// <summary>
    /// HTTP/2 stream receive window of metrics subscribers in bytes (--subscriber-window KiB; 0 keeps
    /// SocketsHttpHandler's 64 KiB start). Default 4 MiB: what the SDK's DirectoryClient opens its
    /// streams with, so a 450 KB frame is not paced by WINDOW_UPDATE round trips.
    /// </summary>
    public int? SubscriberStreamWindow { get; private set; } = 4 * 1024 * 1024;

    /// <summary>Metrics subscribers sharing one HTTP/2 connection (--subscribers-per-connection, default 1).</summary>
    public int SubscribersPerConnection { get; private set; } = 1;

    public int Nodes { get; private set; }

    public int MemoryNodes { get; private set; }

    public int Watchers { get; private set; }

    public int ChangesPerSecond { get; private set; } = 20;

    public int MetricsNodes { get; private set; }

    public int Subscribers { get; private set; } = 100;

    public string? OutputPath { get; private set; }

    /// <summary>Periods the quality scenario simulates (--quality-periods; 10, or 4 with --quick).</summary>
    public int QualityPeriods { get; private set; }

    /// <summary>Next hops (and as many previous hops) per report in the quality scenario's cost run (--quality-links; 16, or 8 with --quick).</summary>
    public int QualityLinks { get; private set; }

    /// <summary>Simulated nodes in the soak (--soak-nodes).</summary>
    public int SoakNodes { get; private set; }

    /// <summary>Length of the soak, warm-up included (--soak-duration S).</summary>
    public TimeSpan SoakDuration { get; private set; }

    /// <summary>Time before the soak's figures count (--soak-warmup S).</summary>
    public TimeSpan SoakWarmup { get; private set; }

    /// <summary>Joins plus leaves a second in the soak (--churn).</summary>
    public double Churn { get; private set; } = 4;

    public int SoakWatchers { get; private set; }

    public int SoakSubscribers { get; private set; }

    /// <summary>Whether the soak kills and restarts the directory halfway (--no-chaos to keep one process).</summary>
    public bool Chaos { get; private set; } = true;

    /// <summary>
    /// Longest reconnect backoff of the soak agents' channels (--reconnect-backoff S; 0 keeps
    /// Grpc.Net.Client's 120 s). The default, 5 s, is what the SDK's channels use
    /// (client-sdk/Internal/ChannelFactory.cs), so the soak's agents reconnect as real ones do.
    /// </summary>
    public TimeSpan? ReconnectBackoff { get; private set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the killed directory stays down (--outage S).</summary>
    public TimeSpan Outage { get; private set; } = TimeSpan.FromSeconds(5);

    /// <summary>Environment variables for every directory process (--server-env NAME=VALUE), to compare runtime settings.</summary>
    public Dictionary<string, string> ServerEnvironment { get; } = [];

    public static string Usage =>
        "usage: dotnet run -c Release --project bench -- <scenario|all>... [--quick] [--warmup S] [--duration S]\n" +
        "       [--connections N] [--inflight N] [--bulk-connections N] [--bulk-inflight N] [--bulk-window KiB] [--nodes N]\n" +
        "       [--memory-nodes N] [--watchers N] [--metrics-nodes N] [--subscribers N] [--quality-periods N] [--quality-links N] [--server-env NAME=VALUE]... [--out results.md]\n" +
        "       [--soak-nodes N] [--soak-duration S] [--soak-warmup S] [--churn N] [--soak-watchers N] [--soak-subscribers N] [--outage S] [--reconnect-backoff S] [--no-chaos]\n" +
        "scenarios: " + string.Join(", ", AllScenarios);

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        options.Quick = args.Contains("--quick");
        options.Warmup = TimeSpan.FromSeconds(options.Quick ? 0.5 : 3);
        options.Duration = TimeSpan.FromSeconds(options.Quick ? 1.5 : 10);
        int connections = 4, inFlight = 16, bulkConnections = 2, bulkInFlight = 2;
        options.Nodes = options.Quick ? 1_000 : 10_000;
        options.MemoryNodes = options.Quick ? 10_000 : 100_000;
        options.Watchers = options.Quick ? 250 : 1_000;
        options.MetricsNodes = options.Quick ? 1_000 : 10_000;
        options.SoakNodes = options.Quick ? 1_000 : 10_000;
        options.QualityPeriods = options.Quick ? 4 : 10;
        options.QualityLinks = options.Quick ? 8 : 16;
        options.SoakDuration = TimeSpan.FromSeconds(options.Quick ? 20 : 1200);
        // Longer than the metrics replay takes to fill (300 one-second frames), so its growth is not read as a leak.
        options.SoakWarmup = TimeSpan.FromSeconds(options.Quick ? 5 : 360);
        options.SoakWatchers = options.Quick ? 10 : 50;
        options.SoakSubscribers = options.Quick ? 2 : 5;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--quick":
                    break;
                case "--warmup":
                    options.Warmup = TimeSpan.FromSeconds(Number(args, ref i));
                    break;
                case "--duration":
                    options.Duration = TimeSpan.FromSeconds(Number(args, ref i));
                    break;
                case "--connections":
                    connections = (int)Number(args, ref i);
                    break;
                case "--inflight":
                    inFlight = (int)Number(args, ref i);
                    break;
                case "--bulk-connections":
                    bulkConnections = (int)Number(args, ref i);
                    break;
                case "--bulk-inflight":
                    bulkInFlight = (int)Number(args, ref i);
                    break;
                case "--bulk-window":
                    options.BulkStreamWindow = (int)Number(args, ref i) * 1024;
                    break;
                case "--subscriber-window":
                    var window = (int)Number(args, ref i) * 1024;
                    options.SubscriberStreamWindow = window > 0 ? window : null;
                    break;
                case "--subscribers-per-connection":
                    options.SubscribersPerConnection = Math.Min(90, (int)Number(args, ref i));
                    break;
                case "--nodes":
                    options.Nodes = (int)Number(args, ref i);
                    break;
                case "--memory-nodes":
                    options.MemoryNodes = (int)Number(args, ref i);
                    break;
                case "--watchers":
                    options.Watchers = (int)Number(args, ref i);
                    break;
                case "--metrics-nodes":
                    options.MetricsNodes = (int)Number(args, ref i);
                    break;
                case "--quality-periods":
                    options.QualityPeriods = (int)Number(args, ref i);
                    break;
                case "--quality-links":
                    options.QualityLinks = Math.Min(1024, (int)Number(args, ref i));
                    break;
                case "--subscribers":
                    options.Subscribers = (int)Number(args, ref i);
                    break;
                case "--server-env":
                    var pair = i + 1 < args.Length ? args[++i] : throw new ArgumentException("--server-env needs NAME=VALUE");
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new ArgumentException("--server-env needs NAME=VALUE");
                    }

                    options.ServerEnvironment[pair[..eq]] = pair[(eq + 1)..];
                    break;
                case "--soak-nodes":
                    options.SoakNodes = (int)Number(args, ref i);
                    break;
                case "--soak-duration":
                    options.SoakDuration = TimeSpan.FromSeconds(Number(args, ref i));
                    break;
                case "--soak-warmup":
                    options.SoakWarmup = TimeSpan.FromSeconds(Number(args, ref i));
                    break;
                case "--churn":
                    options.Churn = Number(args, ref i);
                    break;
                case "--soak-watchers":
                    options.SoakWatchers = (int)Number(args, ref i);
                    break;
                case "--soak-subscribers":
                    options.SoakSubscribers = (int)Number(args, ref i);
                    break;
                case "--outage":
                    options.Outage = TimeSpan.FromSeconds(Number(args, ref i));
                    break;
                case "--reconnect-backoff":
                    var backoff = Number(args, ref i);
                    options.ReconnectBackoff = backoff > 0 ? TimeSpan.FromSeconds(backoff) : null;
                    break;
                case "--no-chaos":
                    options.Chaos = false;
                    break;
                case "--out":
                    options.OutputPath = i + 1 < args.Length ? args[++i] : throw new ArgumentException("--out needs a path");
                    break;
                case "all":
                    options.Scenarios.AddRange(AllScenarios);
                    break;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal) || !AllScenarios.Contains(arg))
                    {
                        throw new ArgumentException($"unknown argument '{arg}'");
                    }

                    options.Scenarios.Add(arg);
                    break;
            }
        }

        if (options.SoakWarmup >= options.SoakDuration)
        {
            throw new ArgumentException("--soak-warmup must be shorter than --soak-duration");
        }

        if (options.Scenarios.Count == 0)
        {
            throw new ArgumentException("name a scenario or all");
        }

        options.Unary = new LoadShape(connections, inFlight);
        options.Bulk = new LoadShape(bulkConnections, bulkInFlight);
        return options;
    }

    public IEnumerable<string> Describe()
    {
        yield return $"mode: {(Quick ? "--quick (CI smoke run: figures not comparable)" : "full")}";
        yield return $"warm-up {Warmup.TotalSeconds:0.#} s, timed window {Duration.TotalSeconds:0.#} s per run";
        yield return $"unary load: {Unary}; bulk (multi-MB responses): {Bulk}, {BulkStreamWindow / 1024:N0} KiB HTTP/2 stream window";
        if (ServerEnvironment.Count > 0)
        {
            yield return $"directory environment: {string.Join(' ', ServerEnvironment.Select(e => $"{e.Key}={e.Value}"))}";
        }

        yield return $"nodes: {Nodes:N0} (heartbeat, topology, etcd), {MetricsNodes:N0} (metrics), {MemoryNodes:N0} (memory); watchers {Watchers:N0} at {ChangesPerSecond} changes/s; metrics subscribers {Subscribers}";
        yield return $"soak: {SoakNodes:N0} nodes for {SoakDuration.TotalSeconds:0} s (warm-up {SoakWarmup.TotalSeconds:0} s), churn {Churn:0.#}/s, {SoakWatchers} watchers, {SoakSubscribers} subscribers, {(Chaos ? $"SIGKILL halfway, {Outage.TotalSeconds:0.#} s outage" : "no kill")}";
    }

    private static double Number(string[] args, ref int i)
    {
        if (i + 1 >= args.Length || !double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw new ArgumentException($"{args[i]} needs a positive number");
        }

        i++;
        return value;
    }
}
