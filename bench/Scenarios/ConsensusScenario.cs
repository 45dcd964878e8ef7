using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Mixnet.Directory.Bench.Infrastructure;
using Mixnet.Directory.Bench.Load;
using Mixnet.Directory.Bench.Micro;
using Mixnet.Directory.Bench.Nodes;
using Mixnet.Directory.Bench.Report;
using Mixnet.Directory.Server.Authorities;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;
using NSec.Cryptography;

namespace Mixnet.Directory.Bench.Scenarios;

/// <summary>
/// consensus (issue 14): one authority's work per epoch for <c>--nodes</c> nodes with 3 and with 9
/// authorities, in this process with the server's own vote, validation and combination code
/// (linked from server/Authorities), and GetConsensus beside full GetTopology on a directory
/// process that is a one-authority network.
/// </summary>
internal static class ConsensusScenario
{
    public static async Task RunAsync(BenchContext ctx)
    {
        Console.WriteLine($"consensus: signing {ctx.Options.Nodes:N0} descriptors");
        var nodes = NodeFactory.Create(ctx.Options.Nodes);
        var report = new ScenarioReport("consensus", $"One authority's work per epoch for {nodes.Length:N0} nodes, every authority honest and listing every node: build and sign its vote, validate the other authorities' votes (parse, signature, order), combine them (majority per node; each winning node's own signature checked unless the authority's own vote carries the entry, whose signature its registry checked at registration), sign the document and check the authorities' signatures; and a client's full verification (threshold signatures and every node's signature). Process CPU time of this process, single-threaded, {(ctx.Options.Quick ? 1 : 3)} round(s), the mean shown. Then `GetConsensus` beside full `GetTopology` of the same nodes on one directory process that is a one-authority network.");
        var rows = new List<string[]>();
        var worst = 0.0;
        foreach (var authorities in new[] { 3, 9 })
        {
            var costs = Measure(nodes, authorities, ctx.Options.Quick ? 1 : 3);
            worst = Math.Max(worst, costs.AuthorityMs);
            rows.Add([
                authorities.ToString(),
                ScenarioReport.F(costs.BuildMs, 1), ScenarioReport.F(costs.ValidateMs, 1), ScenarioReport.F(costs.CombineMs, 1),
                ScenarioReport.F(costs.SignMs, 1), ScenarioReport.F(costs.AuthorityMs, 1), ScenarioReport.F(costs.ClientVerifyMs, 1),
                $"{costs.VoteBytes / 1024.0 / 1024:F2} MiB", $"{costs.ConsensusBytes / 1024.0 / 1024:F2} MiB",
                $"{costs.SentBytes / 1024.0 / 1024:F1} MiB",
            ]);
        }

        report.AddTable(
            ["authorities", "vote build+sign ms", "validate others' votes ms", "combine ms", "sign+check signatures ms", "authority CPU ms/epoch", "client verify ms", "vote", "signed consensus", "sent per authority per epoch"],
            rows);
        report.Target("≤ 1 s CPU per authority per epoch", $"{worst:N0} ms (worst of 3 and 9 authorities)", worst <= 1000);
        report.Notes.Add("Sent per authority per epoch: its signed vote and its signature to every other authority, plus answering one FetchVotes of every other vote and one FetchSignatures by each peer (the worst case: every peer missed everything). Serving the consensus to clients is extra, below.");
        await ServeAsync(ctx, nodes, report);
        ctx.Add(report);
    }

    private static Costs Measure(BenchNode[] nodes, int count, int rounds)
    {
        var keys = Enumerable.Range(0, count).Select(_ => Key.Create(SignatureAlgorithm.Ed25519)).ToArray();
        try
        {
            var sorted = ConsensusVerifier.CheckConfiguration(keys.Select(k => k.PublicKey.Export(KeyBlobFormat.RawPublicKey)), ConsensusVerifier.Threshold(count));
            var entries = nodes.Select(n => (n.IdentityKey.ToByteArray(), n.Register.Descriptor_.ToByteArray(), n.Register.Signature.ToByteArray())).ToArray();
            var clock = new EpochClock(TimeSpan.FromMinutes(10));
            var now = DateTimeOffset.UtcNow;
            var epoch = clock.EpochAt(now);
            var votes = keys.Select(k => SignVote(k, VoteBuilder.Build(epoch, k.PublicKey.Export(KeyBlobFormat.RawPublicKey), now, entries))).ToArray();
            var total = new Costs();
            for (var round = 0; round < rounds; round++)
            {
                GC.Collect();
                var t0 = CpuClock.ProcessNanoseconds;
                var own = SignVote(keys[0], VoteBuilder.Build(epoch, keys[0].PublicKey.Export(KeyBlobFormat.RawPublicKey), now, entries));
                var t1 = CpuClock.ProcessNanoseconds;
                var parsed = new List<Vote> { Vote.Parser.ParseFrom(own.Vote) };
                foreach (var vote in votes.Skip(1))
                {
                    parsed.Add(VoteValidator.Validate(vote, sorted, epoch, nodes.Length * 2));
                }

                var t2 = CpuClock.ProcessNanoseconds;
                var document = ConsensusCombiner.Combine(epoch, clock, sorted, parsed, keys[0].PublicKey.Export(KeyBlobFormat.RawPublicKey)) ?? throw new InvalidOperationException("no consensus from honest votes");
                var t3 = CpuClock.ProcessNanoseconds;
                var bytes = document.ToByteArray();
                var signatures = keys.Select(k => new AuthoritySignature
                {
                    AuthorityKey = ByteString.CopyFrom(k.PublicKey.Export(KeyBlobFormat.RawPublicKey)),
                    Signature = ByteString.CopyFrom(DirectorySignatures.Sign(k, SignatureDomain.Consensus, bytes)),
                }).ToList();
                var t4a = CpuClock.ProcessNanoseconds;
                var valid = ConsensusVerifier.CountValidSignatures(bytes, signatures, sorted);
                var t4 = CpuClock.ProcessNanoseconds;
                var signed = new SignedConsensus { Document = UnsafeByteOperations.UnsafeWrap(bytes) };
                signed.Signatures.AddRange(signatures);
                if (valid != count || document.Nodes.Count != nodes.Length
                    || !ConsensusVerifier.TryVerify(signed, sorted, ConsensusVerifier.Threshold(count), clock.StartOf(epoch), ConsensusVerifier.DefaultClockSkew, out _, out var error))
                {
                    throw new InvalidOperationException($"the benchmark's consensus does not verify ({valid} signatures, {document.Nodes.Count} nodes)");
                }

                var t5 = CpuClock.ProcessNanoseconds;

                // Only this authority's own signature counts as its signing work (the others signed theirs).
                var ownSign = (t4a - t3) / count;
                total.BuildMs += Ms(t1 - t0);
                total.ValidateMs += Ms(t2 - t1);
                total.CombineMs += Ms(t3 - t2);
                total.SignMs += Ms(ownSign + (t4 - t4a));
                total.ClientVerifyMs += Ms(t5 - t4);
                total.VoteBytes = own.CalculateSize();
                total.ConsensusBytes = signed.CalculateSize();
                var signatureMessage = new SubmitSignatureRequest { Epoch = epoch, Signature = signatures[0] }.CalculateSize();
                total.SentBytes = (count - 1) * ((2L * total.VoteBytes) + (2L * signatureMessage)) + ((count - 1) * (long)(count - 2) * total.VoteBytes);
            }

            total.BuildMs /= rounds;
            total.ValidateMs /= rounds;
            total.CombineMs /= rounds;
            total.SignMs /= rounds;
            total.ClientVerifyMs /= rounds;
            return total;
        }
        finally
        {
            foreach (var key in keys)
            {
                key.Dispose();
            }
        }
    }

    private static async Task ServeAsync(BenchContext ctx, BenchNode[] nodes, ScenarioReport report)
    {
        var epochLength = TimeSpan.FromSeconds(ctx.Options.Quick ? 4 : 30);
        var keyDirectory = System.IO.Directory.CreateTempSubdirectory("mixnet-bench-authority-").FullName;
        try
        {
            using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
            var keyPath = Path.Combine(keyDirectory, "authority.key");
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                // The directory refuses a key file others can read.
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var file = new FileStream(keyPath, options))
            {
                await file.WriteAsync(key.Export(KeyBlobFormat.PkixPrivateKeyText), ctx.Token);
            }

            var settings = new ServerSettings(MaxNodes: Math.Max(100_000, nodes.Length * 2))
            {
                ExtraArguments =
                [
                    $"--Directory:SigningKeyPath={keyPath}",
                    "--Directory:Authorities:0:Name=bench",
                    $"--Directory:Authorities:0:Key={Convert.ToHexStringLower(key.PublicKey.Export(KeyBlobFormat.RawPublicKey))}",
                    "--Directory:Authorities:0:Address=http://127.0.0.1:1",
                    $"--Directory:EpochLength={epochLength}",
                ],
            };
            using var server = await ServerProcess.StartAsync(settings, ctx.Token);
            using var channels = new ChannelPool(server.GrpcAddress, ctx.Options.Unary.Connections);
            using var bulk = new ChannelPool(server.GrpcAddress, ctx.Options.Bulk.Connections, ctx.Options.BulkStreamWindow);
            await Registrar.RegisterAllAsync(channels, nodes, ctx.Token);
            await BenchContext.WaitForPublishedVersionAsync(channels, nodes.Length, ctx.Token);
            var epoch = await WaitForConsensusAsync(channels, nodes.Length, epochLength, ctx.Token);
            var consensus = await LoadAsync(ctx, server, bulk, "GetConsensus (full)", RawMethods.Unary<GetConsensusRequest>("mixnet.directory.v1.TopologyService", "GetConsensus"), new GetConsensusRequest(), nodes.Length);
            var topology = await LoadAsync(ctx, server, bulk, "GetTopology (full)", RawMethods.Unary<GetTopologyRequest>("mixnet.directory.v1.TopologyService", "GetTopology"), new GetTopologyRequest(), nodes.Length);
            var notModified = await LoadAsync(ctx, server, channels, "GetConsensus (known epoch)", RawMethods.Unary<GetConsensusRequest>("mixnet.directory.v1.TopologyService", "GetConsensus"), new GetConsensusRequest { KnownEpoch = epoch }, 0, ctx.Options.Unary);
            report.Settings.Add($"serving: one directory process, a one-authority network (threshold 1), epoch length {epochLength.TotalSeconds:N0} s, {nodes.Length:N0} registered nodes; {server.Description}");
            report.AddLoad(consensus, topology, notModified);
            report.Notes.Add("A consensus carries each node's own signed descriptor and signature (about 64 bytes more per node than the topology's entry) and is the same object for a whole epoch; unlike the topology it is serialized per call (the topology is sent from pre-serialized frame bytes). `GetConsensus (known epoch)` is refused as not modified only while the epoch lasts: in a long window, a new epoch's consensus is sent in full once.");
        }
        finally
        {
            System.IO.Directory.Delete(keyDirectory, recursive: true);
        }
    }

    private static async Task<ulong> WaitForConsensusAsync(ChannelPool channels, int nodeCount, TimeSpan epochLength, CancellationToken cancellationToken)
    {
        var client = new TopologyService.TopologyServiceClient(channels[0]);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var reply = await client.GetConsensusAsync(new GetConsensusRequest(), cancellationToken: cancellationToken);
                var document = ConsensusDocument.Parser.ParseFrom(reply.Consensus.Document);
                if (document.Nodes.Count >= nodeCount)
                {
                    return document.Epoch;
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.FailedPrecondition)
            {
                // No consensus yet.
            }

            if (deadline.Elapsed > (3 * epochLength) + TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"no consensus listing {nodeCount} nodes after {deadline.Elapsed.TotalSeconds:N0} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    private static Task<LoadResult> LoadAsync<TRequest>(BenchContext ctx, ServerProcess server, ChannelPool channels, string name, Method<TRequest, ResponseSize> method, TRequest request, int nodeCount, LoadShape? shape = null)
        where TRequest : class
    {
        var invokers = Enumerable.Range(0, channels.Count).Select(i => channels[i].CreateCallInvoker()).ToArray();
        var minimum = nodeCount * 60;
        return LoadRunner.ClosedLoopAsync(name, () => server.Pid, () => server.CpuTime, shape ?? ctx.Options.Bulk, ctx.Options.Warmup, ctx.Options.Duration, async (call, ct) =>
        {
            var bytes = await invokers[call.Worker % invokers.Length].AsyncUnaryCall(method, null, new CallOptions(cancellationToken: ct), request);
            return bytes.Length >= minimum ? true : throw new InvalidOperationException($"a response of {bytes.Length} bytes is too small for {nodeCount} nodes");
        }, ctx.Token);
    }

    private static SignedVote SignVote(Key key, Vote vote)
    {
        var bytes = vote.ToByteArray();
        return new SignedVote
        {
            Vote = UnsafeByteOperations.UnsafeWrap(bytes),
            Signature = UnsafeByteOperations.UnsafeWrap(DirectorySignatures.Sign(key, SignatureDomain.Vote, bytes)),
        };
    }

    private static double Ms(long nanoseconds) => nanoseconds / 1e6;

    private sealed class Costs
    {
        public double BuildMs { get; set; }

        public double ValidateMs { get; set; }

        public double CombineMs { get; set; }

        public double SignMs { get; set; }

        public double AuthorityMs => BuildMs + ValidateMs + CombineMs + SignMs;

        public double ClientVerifyMs { get; set; }

        public int VoteBytes { get; set; }

        public int ConsensusBytes { get; set; }

        public long SentBytes { get; set; }
    }
}
