using Google.Protobuf;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Quality;

/// <summary>
/// A node's quality as published, rounded to 0.001 so that noise in the last digits does not
/// make a new topology version. There is one per listed node, so the three values are kept as
/// thousandths in two bytes each (56 B an object instead of 80); each property gives back exactly
/// the double <c>Math.Round(value, 3)</c> gives (<c>k / 1000.0</c>), so the wire bytes are unchanged.
/// </summary>
internal sealed class PublishedQuality : IEquatable<PublishedQuality>
{
    private const double Scale = 1000;

    private readonly ushort _reliability;
    private readonly ushort _reliability24h;
    private readonly ushort _uptime;

    public PublishedQuality(NodeId id, double reliability, double reliability24h, double uptime, bool excluded)
    {
        Id = id;
        _reliability = Thousandths(reliability);
        _reliability24h = Thousandths(reliability24h);
        _uptime = Thousandths(uptime);
        Excluded = excluded;
    }

    public NodeId Id { get; }

    public double Reliability => _reliability / Scale;

    public double Reliability24h => _reliability24h / Scale;

    public double Uptime => _uptime / Scale;

    public bool Excluded { get; }

    /// <summary>The serialized <see cref="NodeQuality"/>.</summary>
    /// <summary>The serialized <c>NodeQuality</c>'s length, as the generated message computes it (proto3: zero fields left out).</summary>
    public int Size => 2 + NodeIdLength + DoubleSize(Reliability) + DoubleSize(Reliability24h) + DoubleSize(Uptime) + (Excluded ? 2 : 0);

    /// <summary>
    /// Writes the serialized <c>NodeQuality</c> (without its own tag and length): the same bytes
    /// as the generated message, written from the fields rather than kept as an array per node
    /// (about 90 B each, for every listed node).
    /// </summary>
    /// <param name="output">Where to write.</param>
    /// <param name="key">A 32-byte scratch array for the identity key, reused across calls (its bytes are copied out at once).</param>
    public void WriteTo(CodedOutputStream output, byte[] key)
    {
        Id.CopyTo(key);
        output.WriteTag(NodeQuality.IdentityKeyFieldNumber, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(key));
        WriteDouble(output, NodeQuality.ReliabilityFieldNumber, Reliability);
        WriteDouble(output, NodeQuality.Reliability24HFieldNumber, Reliability24h);
        WriteDouble(output, NodeQuality.UptimeFieldNumber, Uptime);
        if (Excluded)
        {
            output.WriteTag(NodeQuality.ExcludedFieldNumber, WireFormat.WireType.Varint);
            output.WriteBool(true);
        }
    }

    /// <summary>True when publishing these values would give exactly this object's (so it is kept, and nothing is serialized).</summary>
    public bool Publishes(double reliability, double reliability24h, double uptime, bool excluded) =>
        _reliability == Thousandths(reliability) && _reliability24h == Thousandths(reliability24h) && _uptime == Thousandths(uptime) && Excluded == excluded;

    public NodeQuality ToMessage() => new()
    {
        IdentityKey = Id.ToByteString(),
        Reliability = Reliability,
        Reliability24H = Reliability24h,
        Uptime = Uptime,
        Excluded = Excluded,
    };

    public bool Equals(PublishedQuality? other) =>
        other is not null && Id.Equals(other.Id) && _reliability == other._reliability && _reliability24h == other._reliability24h
        && _uptime == other._uptime && Excluded == other.Excluded;

    public override bool Equals(object? obj) => obj is PublishedQuality other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Id, _reliability, _reliability24h, _uptime, Excluded);

    private const int NodeIdLength = 32;

    // A tag below field 16 is one byte; a double is 8 bytes; 0 (and -0) is left out, as the generated code does.
    private static int DoubleSize(double value) => value != 0 ? 9 : 0;

    private static void WriteDouble(CodedOutputStream output, int field, double value)
    {
        if (value != 0)
        {
            output.WriteTag(field, WireFormat.WireType.Fixed64);
            output.WriteDouble(value);
        }
    }

    /// <summary>The value clamped to [0, 1] and rounded to thousandths, half away from zero (as <c>Math.Round(value, 3, AwayFromZero)</c>).</summary>
    private static ushort Thousandths(double value) => (ushort)Math.Round(Math.Clamp(value, 0, 1) * Scale, MidpointRounding.AwayFromZero);
}
