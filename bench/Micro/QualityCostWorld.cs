extern alias server;

using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging.Abstractions;
using Mixnet.Directory.V1;
using server::Mixnet.Directory.Server.Hosting;
using server::Mixnet.Directory.Server.Quality;
using server::Mixnet.Directory.Server.Registry;
using server::Mixnet.Directory.Server.Topology;

namespace Mixnet.Directory.Bench.Micro;

/// <summary>
/// The directory's quality tracker in this process over <c>nodes</c> listed nodes (host names as
/// <see cref="Nodes.NodeFactory"/> makes them), each with <c>hops</c> next and as many previous
/// hops, all listed. Each node's report exists as parsed <see cref="ReportMetricsRequest"/>s,
/// parsed from bytes so that the maps and their strings are what protobuf hands the service; a
/// node alternates between two parsed copies, so no report repeats the previous one's string
/// objects. With <c>churn</c> each copy lists the hops in its own random order, and a third order
/// opens every period: a reporter that reorders its hops every time.
/// </summary>
internal sealed class QualityCostWorld : IDisposable
{
    private readonly ManualClock _clock = new(DateTimeOffset.UnixEpoch + TimeSpan.FromDays(20_000));
    private readonly DirectoryInfo _data = System.IO.Directory.CreateTempSubdirectory("mixnet-bench-quality-cost-");
    private readonly NodeId[] _ids;
    private readonly ReportMetricsRequest[][] _reports;

    public QualityCostWorld(int nodes, int hops, bool churn)
    {
        Nodes = nodes;
        Hops = hops;
        var membership = new Membership(_clock);
        _ids = new NodeId[nodes];
        var signedAt = Timestamp.FromDateTimeOffset(_clock.GetUtcNow());
        var names = new string[nodes];
        for (var n = 0; n < nodes; n++)
        {
            var identity = RandomNumberGenerator.GetBytes(32);
            NodeId.TryRead(identity, out _ids[n]);
            var gateway = n % 10 == 0;
            var descriptor = new NodeDescriptor
            {
                IdentityKey = ByteString.CopyFrom(identity),
                SphinxKey = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)),
                Role = gateway ? NodeRole.Gateway : NodeRole.Mixnode,
                Layer = gateway ? 0u : (uint)(n % 3) + 1,
                Host = $"node{n}.mixnet-bench.example",
                MixPort = 1789,
                Version = "1.4.2",
                SignedAt = signedAt,
            };
            names[n] = $"{descriptor.Host}:{descriptor.MixPort}";
            membership.Apply(new NodeRecord(_ids[n], descriptor, RandomNumberGenerator.GetBytes(32), _clock.GetUtcNow()), []);
        }

        var options = new DirectoryOptions { DataPath = _data.FullName };
        Period = options.Quality.Period;
        Tracker = new QualityTracker(Microsoft.Extensions.Options.Options.Create(options), membership, _clock, NullLogger<QualityTracker>.Instance);

        var random = new Random(13);
        _reports = new ReportMetricsRequest[nodes][];
        for (var n = 0; n < nodes; n++)
        {
            var next = Enumerable.Range(1, hops).Select(k => names[(n + k) % nodes]).ToArray();
            var previous = Enumerable.Range(1, hops).Select(k => names[(n - k + (nodes * hops)) % nodes]).ToArray();
            var copies = new ReportMetricsRequest[churn ? 3 : 2];
            for (var c = 0; c < copies.Length; c++)
            {
                var request = new ReportMetricsRequest { Received = 1_000UL * (ulong)hops };
                foreach (var hop in churn ? Shuffled(random, next) : next)
                {
                    request.Sent[hop] = 1_000;
                }

                foreach (var hop in churn ? Shuffled(random, previous) : previous)
                {
                    request.ReceivedFrom[hop] = 1_000;
                }

                copies[c] = ReportMetricsRequest.Parser.ParseFrom(request.ToByteArray());
            }

            _reports[n] = copies;
        }
    }

    public int Nodes { get; }

    public int Hops { get; }

    public TimeSpan Period { get; }

    public QualityTracker Tracker { get; }

    /// <summary>
    /// Round <paramref name="round"/> of a period: the reports of every <paramref name="stride"/>-th
    /// node from <paramref name="first"/>. Each report is first read the way the service's checks
    /// read it (every key's length, every count), which leaves it in the cache as a report just
    /// parsed and checked is when the service hands it to quality; with <paramref name="score"/>
    /// false only that read runs, so its cost can be taken off.
    /// </summary>
    /// <returns>A checksum of the read, so that it is not optimised away.</returns>
    public ulong Report(int round, int first, int stride, bool score)
    {
        ulong check = 0;
        for (var n = first; n < _ids.Length; n += stride)
        {
            var copies = _reports[n];
            var request = copies.Length == 3 && round == 0 ? copies[2] : copies[round & 1];
            check += Read(request.Sent) + Read(request.ReceivedFrom);
            if (score)
            {
                Tracker.Report(_ids[n], request.Received, request.Sent, request.ReceivedFrom);
            }
        }

        return check;
    }

    private static ulong Read(Google.Protobuf.Collections.MapField<string, ulong> counts)
    {
        ulong sum = 0;
        foreach (var (hop, count) in counts)
        {
            sum += (ulong)hop.Length + count;
        }

        return sum;
    }

    /// <summary>Ends the period: the clock moves one period on, as the period loop's timer would.</summary>
    public void Tick()
    {
        _clock.Advance(Period);
        Tracker.Tick();
    }

    public void Dispose() => _data.Delete(recursive: true);

    private static string[] Shuffled(Random random, string[] hops)
    {
        var copy = (string[])hops.Clone();
        random.Shuffle(copy);
        return copy;
    }

    /// <summary>A clock moved by hand, so scoring sees one period pass per tick and saves every SaveInterval as it would.</summary>
    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private long _ticks = start.UtcTicks;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
