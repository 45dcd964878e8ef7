using Mixnet.Directory.Simnet;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.Sdk;

/// <summary>simnet against three real authorities: agents announce to all, routes come from the consensus.</summary>
[TestFixture]
[NonParallelizable]
public sealed class SimnetAuthoritiesTests
{
    [Test]
    public void Settings_Authority_UrlEqualsKey_HexOrBase64()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var settings = new SimnetSettings
        {
            Authorities = [$"http://127.0.0.1:5001={KeyFingerprint.Hex(key)}", $"http://127.0.0.1:5002={Convert.ToBase64String(key.Reverse().ToArray())}"],
            Threshold = 2,
        };

        Assert.That(settings.Validate().Successful, Is.True);
        var options = settings.ToOptions();
        Assert.That(options.Authorities.Select(a => a.Address!.Port), Is.EqualTo(new[] { 5001, 5002 }));
        Assert.That(options.Authorities[1].Key, Is.EqualTo(KeyFingerprint.Hex(key.Reverse().ToArray())), "base64 with '=' padding survives the split at the first '='");
        Assert.That(options.AuthorityThreshold, Is.EqualTo(2));

        var bad = new SimnetSettings { Authorities = ["http://127.0.0.1:5001"] }.Validate();
        Assert.That(bad.Successful, Is.False);
        Assert.That(bad.Message, Does.StartWith("--authority"));
        Assert.That(new SimnetSettings { Authorities = [settings.Authorities[0]], Threshold = 2 }.Validate().Message, Does.StartWith("--threshold"));
    }

    [Test]
    public async Task RunAsync_ThreeAuthorities_RoutesFromTheConsensusAndEveryCountReachesTheObservedAuthority()
    {
        await using var cluster = await AuthorityCluster.StartAsync(3, TimeSpan.FromSeconds(4), new Dictionary<string, string?>
        {
            ["Directory:MetricsWindow"] = "00:00:00.100",
            ["Directory:HeartbeatInterval"] = "00:00:00.500",
            ["Directory:PresenceTtl"] = "00:00:05",
        });
        var options = new SimulatorOptions
        {
            Directory = new Uri("http://127.0.0.1:1"), // not used with authorities
            Mixnodes = 3,
            Gateways = 1,
            BasePort = 42600,
            Tick = TimeSpan.FromMilliseconds(50),
            StatusInterval = TimeSpan.FromSeconds(1),
            DrainTimeout = TimeSpan.FromSeconds(20),
            Seed = 3,
            MaxPackets = 300,
            Rate = 300,
        };
        for (var i = 0; i < 3; i++)
        {
            options.Authorities.Add(new Mixnet.Directory.Client.DirectoryAuthority(cluster.Addresses[i], cluster.PublicKeys[i].Span));
        }

        var status = new Mixnet.Directory.Tests.Tools.LineCapture();
        var result = await new Simulator(options, status).RunAsync().Within(TimeSpan.FromSeconds(60));
        TestContext.Out.WriteLine(status.Text);

        Assert.That(result.AgentsRegistered, Is.EqualTo(4));
        Assert.That(result.Packets, Is.EqualTo(300), "routes were found in the consensus");
        Assert.That(status.Text, Does.Match(@"consensus epoch \d+, 3/3 signers"));
        Assert.That(result.Drained, Is.True);
        Assert.That(result.DirectorySent, Is.EqualTo(1_200UL), "the observed authority got every node's counts");
    }
}
