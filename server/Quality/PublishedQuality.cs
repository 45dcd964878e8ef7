using Google.Protobuf;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Quality;

/// <summary>
/// A node's quality as published, rounded to 0.001 so that noise in the last digits does not
/// make a new topology version. Serialized once, when the values change; snapshots copy the bytes.
/// </summary>
internal sealed class PublishedQuality : IEquatable<PublishedQuality>
{
    public PublishedQuality(NodeId id, double reliability, double reliability24h, double uptime, bool excluded)
    {
        Id = id;
        Reliability = Round(reliability);
        Reliability24h = Round(reliability24h);
        Uptime = Round(uptime);
        Excluded = excluded;
        Bytes = ToMessage().ToByteArray();
    }

    public NodeId Id { get; }

    public double Reliability { get; }

    public double Reliability24h { get; }

    public double Uptime { get; }

    public bool Excluded { get; }

    /// <summary>The serialized <see cref="NodeQuality"/>.</summary>
    public byte[] Bytes { get; }

    /// <summary>True when publishing these values would give exactly this object's (so it is kept, and nothing is serialized).</summary>
    public bool Publishes(double reliability, double reliability24h, double uptime, bool excluded) =>
        Reliability == Round(reliability) && Reliability24h == Round(reliability24h) && Uptime == Round(uptime) && Excluded == excluded;

    public NodeQuality ToMessage() => new()
    {
        IdentityKey = Id.ToByteString(),
        Reliability = Reliability,
        Reliability24H = Reliability24h,
        Uptime = Uptime,
        Excluded = Excluded,
    };

    public bool Equals(PublishedQuality? other) =>
        other is not null && Id.Equals(other.Id) && Reliability == other.Reliability && Reliability24h == other.Reliability24h
        && Uptime == other.Uptime && Excluded == other.Excluded;

    public override bool Equals(object? obj) => obj is PublishedQuality other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Id, Reliability, Reliability24h, Uptime, Excluded);

    private static double Round(double value) => Math.Round(Math.Clamp(value, 0, 1), 3, MidpointRounding.AwayFromZero);
}
