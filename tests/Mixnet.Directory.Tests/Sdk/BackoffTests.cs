using Mixnet.Directory.Client.Internal;

namespace Mixnet.Directory.Tests.Sdk;

public sealed class BackoffTests
{
    private static readonly TimeSpan Min = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Test]
    public void Ceiling_ConsecutiveFailures_DoublesThenStaysAtMax()
    {
        var ceilings = Enumerable.Range(0, 100).Select(a => Backoff.Ceiling(a, Min, Max)).ToList();
        Assert.That(ceilings.Take(4), Is.EqualTo(new[] { Min, Min * 2, Min * 4, Min * 8 }));
        Assert.That(ceilings, Is.Ordered);
        Assert.That(ceilings.Max(), Is.EqualTo(Max));
        Assert.That(ceilings[^1], Is.EqualTo(Max), "no overflow after many failures");
    }

    [TestCase(0.0)]
    [TestCase(0.5)]
    [TestCase(0.999999)]
    public void Delay_AnySample_WithinZeroAndCeiling(double sample)
    {
        for (var attempt = 0; attempt < 70; attempt++)
        {
            var delay = Backoff.Delay(attempt, Min, Max, sample);
            Assert.That(delay, Is.InRange(TimeSpan.Zero, Backoff.Ceiling(attempt, Min, Max)));
        }
    }

    [Test]
    public void Delay_SameSample_ProportionalToCeiling()
    {
        Assert.That(Backoff.Delay(3, Min, Max, 0.5), Is.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public void Jitter_Extremes_AreTenPercentAroundTheInterval()
    {
        var interval = TimeSpan.FromSeconds(5);
        Assert.That(Backoff.Jitter(interval, 0.1, 0), Is.EqualTo(TimeSpan.FromSeconds(4.5)));
        Assert.That(Backoff.Jitter(interval, 0.1, 0.5), Is.EqualTo(interval));
        Assert.That(Backoff.Jitter(interval, 0.1, 1), Is.EqualTo(TimeSpan.FromSeconds(5.5)));
    }
}
