using Mixnet.Directory.Server.Admin;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Hosting;
using Mixnet.Directory.Server.Keys;
using Mixnet.Directory.Server.Limits;
using Mixnet.Directory.Server.Metrics;
using Mixnet.Directory.Server.Presence;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Server.Telemetry;
using Mixnet.Directory.Server.Topology;

namespace Mixnet.Directory.Tests.Unit.Options;

public sealed class DirectoryOptionsValidatorTests
{
    private readonly DirectoryOptionsValidator _validator = new();

    [Test]
    public void Validate_Defaults_Succeeds()
    {
        var result = _validator.Validate(null, new DirectoryOptions());

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [TestCase(20, 20)]
    [TestCase(5, 20)]
    public void Validate_TtlNotLongerThanInterval_FailsNamingPresenceTtl(int ttlSeconds, int intervalSeconds)
    {
        var options = new DirectoryOptions { PresenceTtl = TimeSpan.FromSeconds(ttlSeconds), HeartbeatInterval = TimeSpan.FromSeconds(intervalSeconds) };

        var result = _validator.Validate(null, options);

        Assert.Multiple(() =>
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.FailureMessage, Does.Contain("Directory:PresenceTtl"));
        });
    }

    private static IEnumerable<TestCaseData> BadSettings()
    {
        yield return new TestCaseData((Action<DirectoryOptions>)(o => o.HeartbeatInterval = TimeSpan.Zero), "Directory:HeartbeatInterval").SetArgDisplayNames("interval zero");
        yield return new TestCaseData((Action<DirectoryOptions>)(o => o.MaxClockSkew = TimeSpan.Zero), "Directory:MaxClockSkew").SetArgDisplayNames("skew zero");
        yield return new TestCaseData((Action<DirectoryOptions>)(o => o.MetricsWindow = TimeSpan.FromMilliseconds(5)), "Directory:MetricsWindow").SetArgDisplayNames("window 5 ms");
        yield return new TestCaseData((Action<DirectoryOptions>)(o => o.MaxNodes = 0), "Directory:MaxNodes").SetArgDisplayNames("max nodes 0");
        yield return new TestCaseData((Action<DirectoryOptions>)(o => o.DataPath = " "), "Directory:DataPath").SetArgDisplayNames("data path blank");
        yield return new TestCaseData((Action<DirectoryOptions>)(o => o.WatchQueueLength = 0), "Directory:WatchQueueLength").SetArgDisplayNames("watch queue 0");
        yield return new TestCaseData((Action<DirectoryOptions>)(o => o.TopologyBatchWindow = TimeSpan.FromSeconds(-1)), "Directory:TopologyBatchWindow").SetArgDisplayNames("batch negative");
        yield return new TestCaseData((Action<DirectoryOptions>)(o => o.ExpirySweepInterval = TimeSpan.Zero), "Directory:ExpirySweepInterval").SetArgDisplayNames("sweep zero");
        yield return new TestCaseData((Action<DirectoryOptions>)(o => o.MetricsReplayDetailFrames = 0), "Directory:MetricsReplayDetailFrames").SetArgDisplayNames("replay detail 0");
        yield return new TestCaseData((Action<DirectoryOptions>)(o => o.MetricsReplayDetailFrames = MetricsHub.MaxReplayFrames + 1), "Directory:MetricsReplayDetailFrames").SetArgDisplayNames("replay detail 301");
    }

    [TestCaseSource(nameof(BadSettings))]
    public void Validate_BadSetting_FailsNamingKey(Action<DirectoryOptions> edit, string key)
    {
        var options = new DirectoryOptions();
        edit(options);

        var result = _validator.Validate(null, options);

        Assert.Multiple(() =>
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.FailureMessage, Does.Contain(key));
        });
    }

    [Test]
    public void ResolvedSweepInterval_Default_QuarterOfTtlAtMostOneSecond()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new DirectoryOptions { PresenceTtl = TimeSpan.FromSeconds(2) }.ResolvedSweepInterval, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
            Assert.That(new DirectoryOptions().ResolvedSweepInterval, Is.EqualTo(TimeSpan.FromSeconds(1)));
        });
    }
}
