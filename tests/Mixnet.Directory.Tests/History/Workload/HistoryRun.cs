using Grpc.Core;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.History.Workload;

/// <summary>
/// Runs writers, fetchers, watchers and an admin against one directory at once, each client with
/// its own seeded random, until every writer has done its operations; returns what they recorded.
/// </summary>
internal static class HistoryRun
{
    public static async Task<RecordedHistory> RunAsync(DirectoryServerHost server, string adminToken, WorkloadShape shape, HistoryRules rules, int seed)
    {
        var clients = new RawClients(server.Channel);
        var info = await clients.Topology.GetDirectoryInfoAsync(new GetDirectoryInfoRequest()).ResponseAsync.Within();
        var recorder = new HistoryRecorder();
        var writers = Enumerable.Range(0, shape.Writers)
            .Select(i => new NodeWriter($"writer-{i}", i, recorder, clients, shape, rules, new Random(seed + i)))
            .ToList();
        try
        {
            using var stop = new CancellationTokenSource();
            var admin = new BanningAdmin(recorder, clients, new AdminService.AdminServiceClient(server.Channel),
                new Metadata { { "authorization", "Bearer " + adminToken } }, [.. writers.SelectMany(w => w.Nodes)], shape, new Random(seed + 100));
            var readers = Enumerable.Range(0, shape.Fetchers)
                .Select(i => new TopologyFetcher($"fetcher-{i}", recorder, clients, shape, new Random(seed + 200 + i)).RunAsync(stop.Token))
                .Concat(Enumerable.Range(0, shape.Watchers)
                    .Select(i => new TopologyWatchClient($"watcher-{i}", recorder, clients, new Random(seed + 300 + i)).RunAsync(stop.Token)))
                .Append(admin.RunAsync(stop.Token))
                .ToList();
            try
            {
                await Task.WhenAll(writers.Select(w => w.RunAsync(CancellationToken.None)));
            }
            finally
            {
                await stop.CancelAsync();
                await Task.WhenAll(readers);
            }

            return recorder.Freeze(rules, info.DirectoryKey.ToByteArray());
        }
        finally
        {
            foreach (var writer in writers)
            {
                writer.Dispose();
            }
        }
    }
}
