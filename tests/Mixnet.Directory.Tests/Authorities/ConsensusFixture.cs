using Google.Protobuf;
using Mixnet.Directory.Server.Authorities;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;
using NSec.Cryptography;

namespace Mixnet.Directory.Tests.Authorities;

/// <summary>N authority keys and a few signed nodes, for consensus tests without a network.</summary>
internal sealed class ConsensusFixture : IDisposable
{
    public static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 5, TimeSpan.Zero);

    public ConsensusFixture(int authorities = 3)
    {
        Keys = [.. Enumerable.Range(0, authorities).Select(_ => Key.Create(SignatureAlgorithm.Ed25519))];
        SortedKeys = ConsensusVerifier.CheckConfiguration(Keys.Select(PublicOf), ConsensusVerifier.Threshold(authorities));
        Nodes =
        [
            new TestNode(NodeRole.Mixnode, 1),
            new TestNode(NodeRole.Mixnode, 2),
            new TestNode(NodeRole.Mixnode, 3),
            new TestNode(NodeRole.Gateway),
        ];
        Entries = [.. Nodes.Select(n => Entry(n.RegisterRequest(Now.AddSeconds(-1))))];
        Epoch = Clock.EpochAt(Now);
    }

    public EpochClock Clock { get; } = new(TimeSpan.FromMinutes(10));

    public ulong Epoch { get; }

    public Key[] Keys { get; }

    public byte[][] SortedKeys { get; }

    public TestNode[] Nodes { get; }

    /// <summary>The honest entries: each node's descriptor and signature as the node sent them.</summary>
    public (byte[] IdentityKey, byte[] Descriptor, byte[] Signature)[] Entries { get; }

    public static byte[] PublicOf(Key key) => key.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    public static (byte[] IdentityKey, byte[] Descriptor, byte[] Signature) Entry(RegisterNodeRequest request) =>
        (NodeDescriptor.Parser.ParseFrom(request.Descriptor_).IdentityKey.ToByteArray(), request.Descriptor_.ToByteArray(), request.Signature.ToByteArray());

    public Vote VoteOf(int authority, IEnumerable<(byte[] IdentityKey, byte[] Descriptor, byte[] Signature)> entries, ulong? epoch = null) =>
        VoteBuilder.Build(epoch ?? Epoch, PublicOf(Keys[authority]), Now, entries);

    public static AuthoritySignature SignatureOf(Key key, byte[] document) => new()
    {
        AuthorityKey = ByteString.CopyFrom(PublicOf(key)),
        Signature = ByteString.CopyFrom(DirectorySignatures.Sign(key, SignatureDomain.Consensus, document)),
    };

    public SignedConsensus Signed(byte[] document, params int[] signers)
    {
        var signed = new SignedConsensus { Document = ByteString.CopyFrom(document) };
        signed.Signatures.AddRange(signers.Select(i => SignatureOf(Keys[i], document)));
        return signed;
    }

    public void Dispose()
    {
        foreach (var key in Keys)
        {
            key.Dispose();
        }

        foreach (var node in Nodes)
        {
            node.Dispose();
        }
    }
}
