using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Google.Protobuf;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Authorities;

/// <summary>
/// The HTTP bodies of one served consensus, each built once on first request and dropped with
/// the consensus (it is the key of a weak table), and its entity tag: the epoch and a hash of
/// the document and signatures, since one epoch's consensus may gain signatures.
/// </summary>
internal sealed class ConsensusRepresentations
{
    private static readonly ConditionalWeakTable<SignedConsensus, ConsensusRepresentations> Table = new();

    private readonly Lazy<byte[]> _json;
    private readonly Lazy<byte[]> _protobuf;
    private readonly Lazy<byte[]> _decoded;

    private ConsensusRepresentations(SignedConsensus consensus, AuthoritySet authorities)
    {
        Epoch = ConsensusDocument.Parser.ParseFrom(consensus.Document).Epoch;
        var bytes = consensus.ToByteArray();
        Tag = $"c{Epoch}-{Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8))}";
        _protobuf = new(() => new GetConsensusResponse { Consensus = consensus }.ToByteArray());
        _json = new(() => System.Text.Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(new GetConsensusResponse { Consensus = consensus })));
        _decoded = new(() => ConsensusJsonView.Of(consensus, authorities));
    }

    public ulong Epoch { get; }

    /// <summary>The entity tag's opaque part (without quotes or variant).</summary>
    public string Tag { get; }

    /// <summary>The JSON of <see cref="GetConsensusResponse"/>, as the transcoded route writes it.</summary>
    public byte[] JsonBody => _json.Value;

    /// <summary>The binary <see cref="GetConsensusResponse"/>.</summary>
    public byte[] ProtobufBody => _protobuf.Value;

    /// <summary>The decoded, snake_case view.</summary>
    public byte[] DecodedBody => _decoded.Value;

    public static ConsensusRepresentations Of(SignedConsensus consensus, AuthoritySet authorities) =>
        Table.GetValue(consensus, c => new ConsensusRepresentations(c, authorities));
}
