using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Mixnet.Directory.Bench.Infrastructure;
using Mixnet.Directory.Bench.Load;
using Mixnet.Directory.Bench.Report;

namespace Mixnet.Directory.Bench.Scenarios;

/// <summary>
/// etcd: what an operator would otherwise use. Each node holds an etcd lease with its descriptor
/// under a key; lease keep-alive (on a stream per worker, as etcd clients do) versus Heartbeat,
/// and a range of every node key versus a full signed topology. Same load shapes, same run.
/// </summary>
internal static class EtcdScenario
{
    private const string Prefix = "/mixnet/nodes/";

    public static async Task RunAsync(BenchContext ctx)
    {
        var report = new ScenarioReport("etcd", "The same load generator against a single-member etcd on loopback: `Lease/LeaseKeepAlive` (one bidirectional stream per worker, one request then its response) versus directory `Heartbeat`, and `KV/Range` over every node key (serializable read, the cheaper kind for etcd; responses counted, not parsed) versus a full signed directory `GetTopology`.");
        if (!EtcdProcess.Installed)
        {
            Console.WriteLine("etcd: skipped: etcd not installed (/usr/bin/etcd; apt-get install etcd-server)");
            report.Notes.Add("Skipped: etcd not installed (/usr/bin/etcd; `apt-get install etcd-server`).");
            report.Target("directory ≥ 2 × etcd (keep-alive and range)", "etcd not installed", null);
            ctx.Add(report);
            return;
        }

        await ctx.EnsureAsync("baseline");
        await ctx.EnsureAsync("heartbeat");
        await ctx.EnsureAsync("topology-full");
        var core = await ctx.CoreAsync();
        var nodes = core.Nodes;
        using var etcd = await EtcdProcess.StartAsync(ctx.Token);
        using var channels = new ChannelPool(etcd.Address, ctx.Options.Unary.Connections);
        using var bulk = new ChannelPool(etcd.Address, ctx.Options.Bulk.Connections, ctx.Options.BulkStreamWindow);
        report.Settings.Add($"{EtcdProcess.Version()}, one member, fresh data directory; {nodes.Length:N0} leases (TTL 600 s) each holding one key with the node's descriptor ({nodes[0].Register.Descriptor_.Length} bytes)");

        Console.WriteLine($"etcd: granting {nodes.Length:N0} leases and putting {nodes.Length:N0} keys");
        var leases = new long[nodes.Length];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(w => Task.Run(async () =>
        {
            var lease = new Lease.LeaseClient(channels[w]);
            var kv = new KV.KVClient(channels[w]);
            int i;
            while ((i = Interlocked.Increment(ref next)) < nodes.Length)
            {
                var grant = await lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 600 }, cancellationToken: ctx.Token);
                leases[i] = grant.ID;
                await kv.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8(Prefix + Convert.ToHexString(nodes[i].IdentityKey.Span)), Value = nodes[i].Register.Descriptor_, Lease = grant.ID }, cancellationToken: ctx.Token);
            }
        }, ctx.Token)));

        var streams = new AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse>?[ctx.Options.Unary.Workers];
        var leaseClients = CoreScenarios.Clients(channels, c => new Lease.LeaseClient(c));
        using var streamsStop = CancellationTokenSource.CreateLinkedTokenSource(ctx.Token);
        LoadResult keepAlive;
        try
        {
            keepAlive = await LoadRunner.ClosedLoopAsync("etcd LeaseKeepAlive", () => etcd.Pid, () => etcd.CpuTime, ctx.Options.Unary, ctx.Options.Warmup, ctx.Options.Duration, async (call, ct) =>
            {
                var stream = streams[call.Worker] ??= leaseClients[call.Worker % leaseClients.Length].LeaseKeepAlive(cancellationToken: streamsStop.Token);
                await stream.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = leases[call.Sequence % leases.Length] }, ct);
                if (!await stream.ResponseStream.MoveNext(ct) || stream.ResponseStream.Current.TTL <= 0)
                {
                    throw new InvalidOperationException("etcd did not renew the lease");
                }

                return true;
            }, ctx.Token);
        }
        finally
        {
            await streamsStop.CancelAsync();
            foreach (var stream in streams)
            {
                stream?.Dispose();
            }
        }

        var rangeMethod = RawMethods.Unary<RangeRequest>("etcdserverpb.KV", "Range");
        var invokers = Enumerable.Range(0, bulk.Count).Select(i => bulk[i].CreateCallInvoker()).ToArray();
        var rangeEnd = Prefix[..^1] + (char)(Prefix[^1] + 1);
        var range = new RangeRequest { Key = ByteString.CopyFromUtf8(Prefix), RangeEnd = ByteString.CopyFromUtf8(rangeEnd), Serializable = true };
        var minimum = nodes.Length * 60;
        var ranges = await LoadRunner.ClosedLoopAsync("etcd Range (all node keys)", () => etcd.Pid, () => etcd.CpuTime, ctx.Options.Bulk, ctx.Options.Warmup, ctx.Options.Duration, async (call, ct) =>
        {
            var bytes = await invokers[call.Worker % invokers.Length].AsyncUnaryCall(rangeMethod, null, new CallOptions(cancellationToken: ct), range);
            return bytes.Length >= minimum ? true : throw new InvalidOperationException($"a range of {bytes.Length} bytes is too small for {nodes.Length} keys");
        }, ctx.Token);

        report.AddLoad(ctx.Baseline!, ctx.Heartbeat!, keepAlive, ctx.TopologyFull!, ranges);
        var renewRatio = ctx.Heartbeat!.Rps / keepAlive.Rps;
        var readRatio = ctx.TopologyFull!.Rps / ranges.Rps;
        report.Target("directory Heartbeat ≥ 2 × etcd lease keep-alive", $"{renewRatio:F2} × ({ctx.Heartbeat.Rps:N0} vs {keepAlive.Rps:N0}/s)", renewRatio >= 2);
        report.Target("directory full topology ≥ 2 × etcd range of the node keys", $"{readRatio:F2} × ({ctx.TopologyFull.Rps:N0} vs {ranges.Rps:N0}/s)", readRatio >= 2);
        report.Notes.Add($"The framework's floor against the same keep-alive: Health/Check runs at {ctx.Baseline!.Rps / keepAlive.Rps:F2} × etcd's keep-alive rate; a unary call is a new HTTP/2 stream (HEADERS, DATA, trailers) where a keep-alive is one DATA frame each way on an open stream.");
        report.Notes.Add("Server CPU columns are the directory's for directory rows and etcd's for etcd rows.");
        ctx.Add(report);
    }
}
