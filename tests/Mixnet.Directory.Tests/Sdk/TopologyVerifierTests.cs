using Mixnet.Directory.Client;
using Mixnet.Directory.Client.Internal;
using Mixnet.Directory.V1;
using static Mixnet.Directory.Tests.Sdk.SdkTestData;

namespace Mixnet.Directory.Tests.Sdk;

public sealed class TopologyVerifierTests
{
    [Test]
    public void VerifySnapshot_SignedByDirectory_ReturnsSnapshot()
    {
        using var key = NewDirectoryKey();
        var snapshot = Snapshot(5, Mixnode(1, 1));
        Assert.That(TopologyVerifier.VerifySnapshot(Sign(key, snapshot), PublicKey(key)), Is.EqualTo(snapshot));
    }

    [Test]
    public void VerifySnapshot_ByteFlipped_Throws()
    {
        using var key = NewDirectoryKey();
        var signed = Sign(key, Snapshot(5, Mixnode(1, 1)));
        var bytes = signed.Topology.ToByteArray();
        bytes[^1] ^= 1;
        signed.Topology = Google.Protobuf.ByteString.CopyFrom(bytes);
        Assert.Throws<TopologyVerificationException>(() => TopologyVerifier.VerifySnapshot(signed, PublicKey(key)));
    }

    [Test]
    public void VerifySnapshot_OtherDirectoryKey_Throws()
    {
        using var key = NewDirectoryKey();
        using var other = NewDirectoryKey();
        Assert.Throws<TopologyVerificationException>(() => TopologyVerifier.VerifySnapshot(Sign(key, Snapshot(5)), PublicKey(other)));
    }

    [Test]
    public void VerifyDelta_SnapshotSignatureReusedForDelta_Throws()
    {
        using var key = NewDirectoryKey();
        var delta = Delta(1, 2, [Mixnode(1, 1)]);
        var snapshotStyle = Sign(key, new TopologySnapshot());
        var forged = new SignedTopologyDelta { Delta = Sign(key, delta).Delta, Signature = snapshotStyle.Signature };
        Assert.Throws<TopologyVerificationException>(() => TopologyVerifier.VerifyDelta(forged, PublicKey(key)));
        Assert.That(TopologyVerifier.VerifyDelta(Sign(key, delta), PublicKey(key)), Is.EqualTo(delta));
    }
}
