using System.Threading.Channels;
using Grpc.Core;
using Mixnet.Directory.Simnet;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Tools;

/// <summary>
/// simnet against a real directory with short windows: every link a packet crosses is counted by
/// both ends, so the directory's frames add up to the same sent and received totals, and every node
/// is gone from the topology at the end.
/// </summary>
[TestFixture]
public sealed class SimulatorTests : DirectoryFixture
{

    [SetUp]
    public async Task SetUp()
    {
        await StartDirectoryAsync(new Dictionary<string, string?>
        {
            // Short windows, but not so short that a loaded machine stalling the test's own stream
            // for the subscriber queue's 16 windows (4 s here) makes it drop a frame.
            ["Directory:MetricsWindow"] = "00:00:00.250",
            ["Directory:HeartbeatInterval"] = "00:00:00.500",
            ["Directory:PresenceTtl"] = "00:00:05",
        });
    }

    [Test]
    public async Task RunAsync_PacketLimit_DirectoryCountsEveryLinkOnceAtEachEnd_AndAllNodesLeave()
    {
        var options = Options();
        options.MaxPackets = 1_000;
        options.Rate = 1_000;

        var (result, sent, received) = await RunObservedAsync(options);

        Assert.That(result.Packets, Is.EqualTo(1_000));
        Assert.That(result.AgentsStarted, Is.EqualTo(14));
        Assert.That(result.AgentsRegistered, Is.EqualTo(14));
        Assert.That(result.Drained, Is.True);
        Assert.That(sent, Is.EqualTo(4_000UL), "four links per packet, counted by the senders");
        Assert.That(received, Is.EqualTo(sent), "and by the receivers");
        Assert.That(result.DirectorySent, Is.EqualTo(4_000UL));
        Assert.That(result.DirectoryReceived, Is.EqualTo(4_000UL));
        await Server.WaitForTopologyAsync(0);
    }

    [Test]
    public async Task RunAsync_WithChurn_TotalsStillAgree_AndAllNodesLeave()
    {
        var options = Options();
        options.Rate = 500;
        options.Churn = TimeSpan.FromMilliseconds(300);
        options.Duration = TimeSpan.FromSeconds(3);

        var (result, sent, received) = await RunObservedAsync(options);

        Assert.That(result.Churned, Is.GreaterThanOrEqualTo(1));
        Assert.That(result.AgentsStarted, Is.GreaterThan(14));
        Assert.That(result.Drained, Is.True);
        Assert.That(result.Packets, Is.GreaterThan(0));
        Assert.That(sent, Is.EqualTo((ulong)result.Hops));
        Assert.That(received, Is.EqualTo(sent));
        await Server.WaitForTopologyAsync(0);
    }

    [Test]
    public void RunAsync_DirectoryUnreachable_Throws()
    {
        var options = Options();
        options.Directory = new Uri("http://127.0.0.1:1");

        var ex = Assert.ThrowsAsync<RpcException>(() => new Simulator(options, TextWriter.Null).RunAsync().Within());
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
    }

    private SimulatorOptions Options() => new()
    {
        Directory = Server.GrpcAddress,
        Mixnodes = 12,
        Gateways = 2,
        BasePort = 41000,
        Tick = TimeSpan.FromMilliseconds(50),
        StatusInterval = TimeSpan.FromSeconds(1),
        DrainTimeout = TimeSpan.FromSeconds(20),
        Seed = 7,
    };

    /// <summary>Runs the simulator while an independent stream reads every frame, and sums the frames up to the one with the last flushed counts.</summary>
    private async Task<(SimulationResult Result, ulong Sent, ulong Received)> RunObservedAsync(SimulatorOptions options)
    {
        using var cts = TaskTimeouts.Cancel(TimeSpan.FromSeconds(60));
        using var stream = new RawClients(Server.Channel).Metrics.StreamMetrics(new StreamMetricsRequest(), cancellationToken: cts.Token);
        // The first frame proves the subscription is in place before any node reports.
        Assert.That(await stream.ResponseStream.MoveNext(cts.Token), Is.True);
        var frames = Channel.CreateUnbounded<StreamMetricsResponse>();
        await frames.Writer.WriteAsync(stream.ResponseStream.Current);
        var reader = ReadAllAsync(stream.ResponseStream, frames.Writer, cts.Token);

        var status = new LineCapture();
        var result = await new Simulator(options, status).RunAsync(cts.Token).Within(TimeSpan.FromSeconds(60));
        TestContext.Out.WriteLine(status.Text);

        Assert.That(result.LastFlushWindowEnd, Is.Not.Null, "the simulator saw its nodes' last reports");
        ulong sent = 0;
        ulong received = 0;
        var reached = false;
        await foreach (var frame in frames.Reader.ReadAllAsync(cts.Token))
        {
            Assert.That(frame.DroppedFrames, Is.Zero, "the test's own stream must see every frame");
            sent += frame.NetworkSent;
            received += frame.NetworkReceived;
            if (frame.WindowEnd.ToDateTimeOffset() >= result.LastFlushWindowEnd)
            {
                reached = true;
                break;
            }
        }

        Assert.That(reached, Is.True, "the metrics stream ended before the frame with the last flushed counts");

        await cts.CancelAsync();
        await reader;
        return (result, sent, received);
    }

    private static async Task ReadAllAsync(IAsyncStreamReader<StreamMetricsResponse> stream, ChannelWriter<StreamMetricsResponse> frames, CancellationToken cancellationToken)
    {
        try
        {
            while (await stream.MoveNext(cancellationToken))
            {
                await frames.WriteAsync(stream.Current, cancellationToken);
            }
        }
        catch (Exception ex) when ((ex is OperationCanceledException or RpcException) && cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            frames.TryComplete();
        }
    }
}
