using Google.Protobuf;
using Mixnet.Directory.Server.Quality;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Quality;

/// <summary>A published quality entry is written from its fields, byte for byte as the generated <c>NodeQuality</c>.</summary>
public sealed class PublishedQualityWireTests
{
    private static readonly double[] Values = [0, 0.001, 0.5, 0.999, 1];

    private static IEnumerable<TestCaseData> Entries()
    {
        foreach (var reliability in Values)
        {
            foreach (var uptime in Values)
            {
                foreach (var excluded in new[] { false, true })
                {
                    yield return new TestCaseData(reliability, 1 - reliability, uptime, excluded);
                }
            }
        }
    }

    [TestCaseSource(nameof(Entries))]
    public void WriteTo_AnyScores_SameBytesAndSizeAsTheGeneratedMessage(double reliability, double reliability24h, double uptime, bool excluded)
    {
        var key = Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray();
        NodeId.TryRead(key, out var id);
        var entry = new PublishedQuality(id, reliability, reliability24h, uptime, excluded);
        var expected = entry.ToMessage().ToByteArray();

        var written = new byte[entry.Size];
        var output = new CodedOutputStream(written);
        entry.WriteTo(output, new byte[32]);
        output.CheckNoSpaceLeft();

        Assert.Multiple(() =>
        {
            Assert.That(entry.Size, Is.EqualTo(expected.Length));
            Assert.That(written, Is.EqualTo(expected));
            Assert.That(NodeQuality.Parser.ParseFrom(written).IdentityKey.ToByteArray(), Is.EqualTo(key));
        });
    }

    [Test]
    public void Values_AreExactlyTheScoresRoundedToThousandths_HalfAwayFromZero_AndClamped()
    {
        NodeId.TryRead(new byte[32], out var id);
        var random = new Random(20261202);
        var scores = new List<double> { -0.2, 0, 0.0005, 0.0015, 0.1235, 0.4995, 0.9994999, 0.9995, 1, 1.5 };
        scores.AddRange(Enumerable.Range(0, 2000).Select(_ => random.NextDouble()));
        Assert.Multiple(() =>
        {
            foreach (var score in scores)
            {
                var expected = Math.Round(Math.Clamp(score, 0, 1), 3, MidpointRounding.AwayFromZero);
                var entry = new PublishedQuality(id, score, 1 - score, score / 2, false);
                Assert.That(BitConverter.DoubleToInt64Bits(entry.Reliability), Is.EqualTo(BitConverter.DoubleToInt64Bits(expected)), $"reliability of {score:R}");
                Assert.That(entry.Reliability24h, Is.EqualTo(Math.Round(Math.Clamp(1 - score, 0, 1), 3, MidpointRounding.AwayFromZero)), $"24 h of {score:R}");
                Assert.That(entry.Uptime, Is.EqualTo(Math.Round(Math.Clamp(score / 2, 0, 1), 3, MidpointRounding.AwayFromZero)), $"uptime of {score:R}");
                Assert.That(entry.Publishes(score, 1 - score, score / 2, false), Is.True, "the same scores publish the same entry");
            }
        });
    }
}
