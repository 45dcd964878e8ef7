using System.Text.Json;
using Mixnet.Directory.Simnet;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Unit.Support;

namespace Mixnet.Directory.Tests.Quality;

/// <summary>simnet's droppers, liars, link loss and truth file.</summary>
[TestFixture]
public sealed class SimnetMisbehaviourTests
{
    [TestCase("5%", 0.05)]
    [TestCase("0.5 %", 0.005)]
    [TestCase("0.005", 0.005)]
    public void Settings_Shares_ParsedAsPercentOrFraction(string text, double expected)
    {
        var settings = new SimnetSettings { Droppers = text, Liars = text, LinkLoss = text };

        Assert.That(settings.Validate().Successful, Is.True);
        var options = settings.ToOptions();
        Assert.That(options.DropperShare, Is.EqualTo(expected).Within(1e-12));
        Assert.That(options.LiarShare, Is.EqualTo(expected).Within(1e-12));
        Assert.That(options.LinkLoss, Is.EqualTo(expected).Within(1e-12));
    }

    [TestCase("--droppers", "150%")]
    [TestCase("--liars", "-1")]
    [TestCase("--link-loss", "lots")]
    [TestCase("--drop-rate", "2")]
    public void Settings_BadShare_RefusedNamingTheOption(string option, string text)
    {
        var settings = option switch
        {
            "--droppers" => new SimnetSettings { Droppers = text },
            "--liars" => new SimnetSettings { Liars = text },
            "--link-loss" => new SimnetSettings { LinkLoss = text },
            _ => new SimnetSettings { DropRate = text },
        };

        var result = settings.Validate();

        Assert.That(result.Successful, Is.False);
        Assert.That(result.Message, Does.StartWith(option));
    }

    [Test]
    public async Task RunAsync_DroppersDroppingEverything_FewerLinksCountedAndTruthFileNamesThem()
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Directory:MetricsWindow"] = "00:00:00.100",
            ["Directory:HeartbeatInterval"] = "00:00:00.500",
            ["Directory:PresenceTtl"] = "00:00:05",
        });
        using var folder = TempFolder.Create();
        var truthPath = Path.Combine(folder.Path, "truth.json");
        var options = new SimulatorOptions
        {
            Directory = server.GrpcAddress,
            Mixnodes = 12,
            Gateways = 2,
            BasePort = 42000,
            Tick = TimeSpan.FromMilliseconds(50),
            DrainTimeout = TimeSpan.FromSeconds(20),
            Seed = 7,
            MaxPackets = 1_000,
            Rate = 1_000,
            DropperShare = 0.4,
            DropRate = 1,
            TruthOut = truthPath,
        };

        var status = new Mixnet.Directory.Tests.Tools.LineCapture();
        var result = await new Simulator(options, status).RunAsync().Within(TimeSpan.FromSeconds(60));
        TestContext.Out.WriteLine(status.Text);

        var truth = JsonSerializer.Deserialize<Dictionary<string, List<string>>>(File.ReadAllText(truthPath))!;
        Assert.Multiple(() =>
        {
            Assert.That(truth["droppers"], Is.Not.Empty);
            Assert.That(truth["droppers"], Has.All.Matches<string>(h => h.Length == 64));
            Assert.That(truth["liars"], Is.Empty);
            Assert.That(result.Packets, Is.EqualTo(1_000));
            Assert.That(result.DirectorySent, Is.LessThan(4_000UL), "packets through a dropper stop there");
            Assert.That(result.DirectoryReceived, Is.EqualTo(result.DirectorySent), "no link loss: every packet sent is received");
            Assert.That(status.Text, Does.Contain("droppers"));
        });
        server.AssertNoUnexpectedErrors();
        server.DeleteData();
    }
}
