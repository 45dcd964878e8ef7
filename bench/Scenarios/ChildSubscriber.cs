using System.Globalization;
using Grpc.Core;
using Mixnet.Directory.Bench.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Bench.Scenarios;

/// <summary>
/// The process that killed-subscriber kills: opens watch and metrics streams, says "ready" once
/// each has had its first message, then reads until it is killed.
/// </summary>
internal static class ChildSubscriber
{
    public const string Command = "child-subscriber";

    public static async Task<int> RunAsync(string[] args)
    {
        var address = args[0];
        var watchers = int.Parse(args[1], CultureInfo.InvariantCulture);
        var subscribers = int.Parse(args[2], CultureInfo.InvariantCulture);
        using var channels = new ChannelPool(address, ((watchers + subscribers) / 90) + 1);
        var remaining = watchers + subscribers;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void FirstMessage()
        {
            if (Interlocked.Decrement(ref remaining) == 0)
            {
                ready.TrySetResult();
            }
        }

        var streams = new List<Task>();
        for (var i = 0; i < watchers + subscribers; i++)
        {
            var channel = channels[i / 90];
            var isWatcher = i < watchers;
            streams.Add(Task.Run(async () =>
            {
                var first = true;
                if (isWatcher)
                {
                    using var call = new TopologyService.TopologyServiceClient(channel).WatchTopology(new WatchTopologyRequest());
                    await foreach (var _ in call.ResponseStream.ReadAllAsync())
                    {
                        if (first)
                        {
                            first = false;
                            FirstMessage();
                        }
                    }
                }
                else
                {
                    using var call = new MetricsService.MetricsServiceClient(channel).StreamMetrics(new StreamMetricsRequest { ReplayFrames = 1 });
                    await foreach (var _ in call.ResponseStream.ReadAllAsync())
                    {
                        if (first)
                        {
                            first = false;
                            FirstMessage();
                        }
                    }
                }
            }));
        }

        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Console.WriteLine("ready");
        await Task.WhenAll(streams);
        return 0;
    }
}
