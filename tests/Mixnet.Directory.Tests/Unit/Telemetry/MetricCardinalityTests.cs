using System.Diagnostics.Metrics;
using Mixnet.Directory.Server.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Mixnet.Directory.Tests.Unit.Telemetry;

/// <summary>
/// The directory's view caps every metric stream's series (OpenTelemetry preallocates a stream's
/// points up to its limit), folds the excess into the overflow series rather than losing it, and
/// leaves the request-duration histogram room for every route × status.
/// </summary>
[TestFixture]
public sealed class MetricCardinalityTests
{
    [Test]
    public void AStreamPastItsLimit_KeepsTheLimitsSeries_AndFoldsTheRestIntoOverflow()
    {
        using var meter = new Meter("Mixnet.Directory.Tests.Cardinality." + Guid.NewGuid().ToString("N"));
        var points = new List<(string Name, long Count, long Sum)>();
        using (var provider = Provider(meter.Name, points))
        {
            var counter = meter.CreateCounter<long>("test.codes");
            for (var i = 0; i < MetricCardinality.Default + 50; i++)
            {
                counter.Add(1, new KeyValuePair<string, object?>("code", i));
            }

            provider.ForceFlush();
        }

        var stream = points.First(p => p.Name == "test.codes");
        Assert.Multiple(() =>
        {
            Assert.That(stream.Count, Is.LessThanOrEqualTo(MetricCardinality.Default + 1), "the limit's series plus one overflow series");
            Assert.That(stream.Count, Is.GreaterThan(MetricCardinality.Default / 2), "well below the limit every series is kept");
            Assert.That(stream.Sum, Is.EqualTo(MetricCardinality.Default + 50), "no measurement is lost: the excess lands in the overflow series");
        });
    }

    [Test]
    public void TheRequestDurationHistogram_KeepsMoreSeriesThanTheDefault()
    {
        using var meter = new Meter("Mixnet.Directory.Tests.Cardinality." + Guid.NewGuid().ToString("N"));
        var points = new List<(string Name, long Count, long Sum)>();
        var routes = MetricCardinality.Default * 3;
        using (var provider = Provider(meter.Name, points))
        {
            var duration = meter.CreateHistogram<double>(MetricCardinality.HttpRequestDuration, "s");
            for (var i = 0; i < routes; i++)
            {
                duration.Record(0.001, new KeyValuePair<string, object?>("http.route", "/route/" + i));
            }

            provider.ForceFlush();
        }

        Assert.That(points.First(p => p.Name == MetricCardinality.HttpRequestDuration).Count, Is.EqualTo(routes));
    }

    private static MeterProvider Provider(string meterName, List<(string Name, long Count, long Sum)> points) =>
        OpenTelemetry.Sdk.CreateMeterProviderBuilder()
            .AddMeter(meterName)
            .AddView(MetricCardinality.Limit)
            .AddReader(new BaseExportingMetricReader(new PointCounter(points)) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative })
            .Build()!;

    /// <summary>Counts each exported stream's points and sums a counter's values.</summary>
    private sealed class PointCounter(List<(string Name, long Count, long Sum)> points) : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch)
            {
                long count = 0, sum = 0;
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    count++;
                    sum += metric.MetricType == MetricType.LongSum ? point.GetSumLong() : 0;
                }

                points.Add((metric.Name, count, sum));
            }

            return ExportResult.Success;
        }
    }
}
