using Mixnet.Directory.Server.Quality;

namespace Mixnet.Directory.Tests.Quality;

public sealed class LinkJudgeTests
{
    // A 3-layer line of six nodes per layer: every node of layer k sends 1,000 packets to every node of layer k+1.
    private static QualityNet Layers(int perLayer, int layers = 3, ulong packets = 1000, double loss = 0)
    {
        var net = new QualityNet(perLayer * layers);
        for (var l = 0; l + 1 < layers; l++)
        {
            for (var a = 0; a < perLayer; a++)
            {
                for (var b = 0; b < perLayer; b++)
                {
                    net.Traffic((l * perLayer) + a, ((l + 1) * perLayer) + b, packets, loss);
                }
            }
        }

        // The first layer's input and the last layer's output come from and go to outside (clients).
        for (var a = 0; a < perLayer; a++)
        {
            net.External(a, packets * (ulong)perLayer);
        }

        return net;
    }

    [Test]
    public void Judge_HonestNetworkWithSmallLoss_EveryLinkAgrees()
    {
        var verdicts = Layers(6, loss: 0.005).Judge();

        Assert.That(verdicts.Values.Select(v => v.Agreement ?? -1), Is.All.EqualTo(1.0));
        Assert.That(verdicts.Values.Count(v => v.Excluded), Is.Zero);
    }

    [Test]
    public void Judge_HonestMixnodeLosingWithinTolerance_ForwardingCostsNothing()
    {
        var net = Layers(6, loss: 0.005);
        var node = 8; // layer 2: forwards 4 % less than it received (in flight at the period's end)
        for (var b = 12; b < 18; b++)
        {
            net.ClaimSent(node, b, 960).ClaimReceived(node, b, 960);
        }

        var verdicts = net.Judge();

        Assert.Multiple(() =>
        {
            Assert.That(verdicts[net.Id(node)].Forwarding, Is.LessThan(0.97));
            Assert.That(verdicts[net.Id(node)].Reliability, Is.EqualTo(1.0));
        });
    }

    [TestCase(1.0, 1.0)]
    [TestCase(0.95, 1.0)]
    [TestCase(0.8, 0.5)]
    [TestCase(0.5, 0.0767)]
    [TestCase(0.0, 0.0)]
    public void ForwardingScore_DefaultSettings_FallsFastPastTheTolerance(double forwarding, double expected)
    {
        Assert.That(LinkJudge.ForwardingScore(forwarding, new QualityOptions()), Is.EqualTo(expected).Within(0.003));
    }

    [Test]
    public void ForwardingScore_ExponentOneNoTolerance_IsTheRatio()
    {
        Assert.That(LinkJudge.ForwardingScore(0.6, new QualityOptions { ForwardingExponent = 1, LinkTolerance = 0 }), Is.EqualTo(0.6).Within(1e-12));
    }

    [Test]
    public void Judge_LossBeyondTolerance_DisputesTheLink()
    {
        var net = new QualityNet(2).Traffic(0, 1, 1000, loss: 0.10);

        var verdicts = net.Judge(new QualityOptions { LinkTolerance = 0.05 });

        Assert.That(verdicts[net.Id(0)].Agreement, Is.EqualTo(0.0));
        Assert.That(verdicts[net.Id(1)].Agreement, Is.EqualTo(0.0));
    }

    [Test]
    public void Judge_LinkBelowMinimumTraffic_NotJudged()
    {
        var net = new QualityNet(2).Traffic(0, 1, 10).ClaimReceived(0, 1, 0);

        var verdicts = net.Judge(new QualityOptions { MinLinkPackets = 50 });

        Assert.That(verdicts[net.Id(0)].Agreement, Is.Null);
    }

    [Test]
    public void Judge_DropperThatAdmitsIt_LosesOnForwardingOnly_Sharply()
    {
        var net = Layers(6);
        var dropper = 8; // layer 2
        for (var b = 12; b < 18; b++)
        {
            net.ClaimSent(dropper, b, 500).ClaimReceived(dropper, b, 500);
        }

        var verdicts = net.Judge();

        Assert.Multiple(() =>
        {
            Assert.That(verdicts[net.Id(dropper)].Forwarding, Is.EqualTo(0.5).Within(1e-9));
            Assert.That(verdicts[net.Id(dropper)].Agreement, Is.EqualTo(1.0));
            Assert.That(verdicts[net.Id(dropper)].Reliability, Is.EqualTo(Math.Pow(0.5 / 0.95, 4)).Within(1e-9), "(0.5 / (1 - 5 %))^4, far below the clients' 0.5");
            Assert.That(verdicts[net.Id(2)].Reliability, Is.EqualTo(1.0), "an honest layer-1 node");
        });
    }

    [Test]
    public void Judge_DropperThatHidesIt_DisputesItsLinksAndIsExcluded()
    {
        var net = Layers(6);
        var dropper = 8;
        for (var b = 12; b < 18; b++)
        {
            net.ClaimReceived(dropper, b, 500); // the next hops got half; the dropper claims it sent all
        }

        var verdicts = net.Judge();

        var d = verdicts[net.Id(dropper)];
        Assert.Multiple(() =>
        {
            Assert.That(d.Forwarding, Is.EqualTo(1.0), "it claims to forward everything");
            Assert.That(d.Agreement, Is.EqualTo(0.5).Within(1e-9), "its outgoing half is disputed");
            Assert.That(d.DisputedPeers, Is.EqualTo(6));
            Assert.That(d.Excluded, Is.True);
            Assert.That(verdicts[net.Id(13)].Excluded, Is.False, "a next hop is disputed by one peer of six");
            Assert.That(verdicts[net.Id(13)].Agreement, Is.EqualTo(5.0 / 6).Within(1e-9), "its one disputed link of six, weighted as a typical link");
        });
    }

    [Test]
    public void Judge_LiarInflatingItsClaim_CostsTheVictimAtMostItsShareAndTheLiarMore()
    {
        var net = Layers(6);
        var liar = 1;   // layer 1
        var victim = 7; // layer 2: 12 links, one of them with the liar
        net.ClaimSent(liar, victim, 1_000_000_000);

        var verdicts = net.Judge();

        Assert.Multiple(() =>
        {
            Assert.That(verdicts[net.Id(victim)].Agreement, Is.GreaterThanOrEqualTo(1 - (1.0 / 12) - 1e-9), "the victim loses its one link's share, however large the claim");
            Assert.That(verdicts[net.Id(liar)].Agreement, Is.LessThan(0.01), "the inflated link dominates the liar's own weight");
            Assert.That(verdicts[net.Id(victim)].Excluded, Is.False);
        });
    }

    [Test]
    public void Judge_LiarDenyingReceipt_StillPaysALinkOfItsOwn()
    {
        var net = Layers(6);
        var liar = 7;   // layer 2
        var victim = 2; // layer 1
        net.ClaimReceived(victim, liar, 0);

        var verdicts = net.Judge();

        Assert.Multiple(() =>
        {
            Assert.That(verdicts[net.Id(liar)].Agreement, Is.LessThan(1.0), "claiming 0 is weighted as its typical link, not as 0");
            Assert.That(verdicts[net.Id(victim)].Agreement, Is.EqualTo(5.0 / 6).Within(1e-9));
        });
    }

    [Test]
    public void Judge_CoalitionAgainstOneNode_BoundedByTheirShareOfItsTraffic()
    {
        var net = Layers(10);
        var victim = 15; // layer 2: 20 links
        for (var liar = 0; liar < 3; liar++)
        {
            net.ClaimSent(liar, victim, 1);
        }

        var verdicts = net.Judge();

        Assert.Multiple(() =>
        {
            Assert.That(verdicts[net.Id(victim)].Agreement, Is.EqualTo(1 - (3.0 / 20)).Within(1e-9));
            Assert.That(verdicts[net.Id(victim)].Reliability, Is.EqualTo(1 - (3.0 / 20)).Within(1e-9), "its forwarding, its own report, is untouched");
            Assert.That(Enumerable.Range(0, 3).Select(l => verdicts[net.Id(l)].DisputedPeers), Is.All.EqualTo(1), "each accusation disputes a link of the accuser's");
        });
    }

    [Test]
    public void Judge_SilentReceiver_CostsOnlyItself()
    {
        var net = Layers(6).Silent(8);

        var verdicts = net.Judge();

        Assert.Multiple(() =>
        {
            Assert.That(verdicts[net.Id(8)].Agreement, Is.EqualTo(0.0));
            Assert.That(verdicts[net.Id(8)].Excluded, Is.False, "silence is not a dispute");
            Assert.That(verdicts[net.Id(2)].Agreement, Is.EqualTo(1.0), "its previous hops are not blamed");
            Assert.That(verdicts[net.Id(14)].Agreement, Is.EqualTo(1.0), "nor its next hops");
        });
    }

    [Test]
    public void Judge_ReceiverWithoutReceivedFrom_CostsOnlyItself()
    {
        var net = Layers(6).Unattributed(8);

        var verdicts = net.Judge();

        Assert.Multiple(() =>
        {
            Assert.That(verdicts[net.Id(8)].Agreement, Is.EqualTo(0.5).Within(1e-9), "its outgoing links agree, its incoming are unconfirmed");
            Assert.That(verdicts[net.Id(2)].Agreement, Is.EqualTo(1.0));
        });
    }

    [Test]
    public void Judge_Gateway_HasNoForwardingScore()
    {
        var net = new QualityNet(2, isMixnode: i => i == 1).Traffic(0, 1, 1000).External(0, 1000);

        var verdicts = net.Judge();

        Assert.That(verdicts[net.Id(0)].Forwarding, Is.Null);
        Assert.That(verdicts[net.Id(1)].Forwarding, Is.EqualTo(0.0), "a mixnode that received and sent nothing on");
    }
}
