using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mixnet.Directory.Client;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Sdk;

/// <summary>The agent keeps to the directory's report rate by itself: never sooner than next_report_in, and never sooner than a retry-after.</summary>
public sealed class NodeAgentMetricsPaceTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Asked = TimeSpan.FromSeconds(3);
    private AgentHarness _h = null!;
    private List<DateTimeOffset> _reportTimes = null!;

    [SetUp]
    public void SetUp()
    {
        _h = new AgentHarness();
        _reportTimes = [];
        _h.Directory.OnUnary<ReportMetricsRequest, ReportMetricsResponse>("ReportMetrics", _ =>
        {
            lock (_reportTimes)
            {
                _reportTimes.Add(_h.Time.GetUtcNow());
            }

            return new ReportMetricsResponse { NextReportIn = Duration.FromTimeSpan(Asked) };
        });
    }

    [TearDown]
    public void TearDown() => _h.Dispose();

    [Test]
    public async Task FirstReport_GoesOneMetricsWindowAfterRegistering_ThenAtNextReportIn()
    {
        await using var agent = _h.Create();
        await agent.StartAsync().Within();
        await agent.WaitUntilRegisteredAsync().Within();

        Assert.That(await _h.NextMetricsWait(), Is.EqualTo(Window), "one metrics window, not one heartbeat interval");
        _h.Time.Advance(Window);
        Assert.That(await _h.NextMetricsWait(), Is.EqualTo(Asked), "then the pace the directory asked for");
        Assert.That(_reportTimes, Is.EqualTo(new[] { SdkTestData.Epoch + Window }));
    }

    [Test]
    public async Task Report_ResourceExhaustedWithRetryAfter_KeepsCountsAndWaitsTheRetryAfter()
    {
        var refusal = new Metadata { { "retry-after", "7" } };
        _h.Directory.OnUnary<ReportMetricsRequest, ReportMetricsResponse>("ReportMetrics", _ =>
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "one report per next_report_in"), refusal));
        await using var agent = _h.Create();
        await agent.StartAsync().Within();
        await agent.WaitUntilRegisteredAsync().Within();
        agent.RecordSent("10.0.0.1:1789");

        Assert.That(await _h.NextMetricsWait(), Is.EqualTo(Window));
        _h.Time.Advance(Window);

        Assert.That(await _h.NextMetricsWait(), Is.EqualTo(TimeSpan.FromSeconds(7)), "the directory's retry-after, not the usual interval");
        Assert.That(agent.Counters.SentTo("10.0.0.1:1789"), Is.EqualTo(1), "a refused report's counts go with the next one");
    }

    [Test]
    public async Task Reports_SteadyState_OnePerNextReportIn()
    {
        await using var agent = _h.Create();
        await agent.StartAsync().Within();
        await agent.WaitUntilRegisteredAsync().Within();
        Assert.That(await _h.NextMetricsWait(), Is.EqualTo(Window));
        _h.Time.Advance(Window);
        Assert.That(await _h.NextMetricsWait(), Is.EqualTo(Asked));

        _h.Time.Advance(Asked);
        Assert.That(await _h.NextMetricsWait(), Is.EqualTo(Asked));

        Assert.That(_reportTimes, Is.EqualTo(new[] { SdkTestData.Epoch + Window, SdkTestData.Epoch + Window + Asked }));
    }

    [Test]
    public async Task StopAsync_LastReportNotYetDue_WaitsForItsTurnThenDeregisters()
    {
        var agent = _h.Create();
        await agent.StartAsync().Within();
        await agent.WaitUntilRegisteredAsync().Within();
        Assert.That(await _h.NextMetricsWait(), Is.EqualTo(Window));
        _h.Time.Advance(Window);
        Assert.That(await _h.NextMetricsWait(), Is.EqualTo(Asked));
        agent.RecordSent("10.0.0.1:1789");
        _h.Time.Advance(TimeSpan.FromSeconds(1));

        var stop = agent.StopAsync();
        Assert.That(await _h.NextMetricsWait(), Is.EqualTo(Asked - TimeSpan.FromSeconds(1)), "the rest of next_report_in");
        Assert.That(_h.Directory.RequestsOf<ReportMetricsRequest>("ReportMetrics"), Has.Count.EqualTo(1), "nothing sent before its turn");
        _h.Time.Advance(Asked - TimeSpan.FromSeconds(1));
        await stop.Within();

        Assert.That(_reportTimes[^1], Is.EqualTo(SdkTestData.Epoch + Window + Asked));
        Assert.That(_h.Directory.RequestsOf<ReportMetricsRequest>("ReportMetrics")[^1].Sent["10.0.0.1:1789"], Is.EqualTo(1));
        Assert.That(_h.Directory.RequestsOf<DeregisterNodeRequest>("DeregisterNode"), Has.Count.EqualTo(1));
        await agent.DisposeAsync();
    }
}
