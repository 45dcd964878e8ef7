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
}
