using System.Buffers.Binary;
using Google.Protobuf;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Server.Registry;

/// <summary>A node's identity key held as four words, so lookups on the heartbeat path allocate nothing.</summary>
internal readonly struct NodeId : IEquatable<NodeId>, IComparable<NodeId>
{
    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    private NodeId(ulong a, ulong b, ulong c, ulong d)
    {
        _a = a;
        _b = b;
        _c = c;
        _d = d;
    }

    public static bool TryRead(ReadOnlySpan<byte> key, out NodeId id)
    {
        if (key.Length != DirectorySignatures.PublicKeySize)
        {
            id = default;
            return false;
        }

        id = new NodeId(
            BinaryPrimitives.ReadUInt64BigEndian(key),
            BinaryPrimitives.ReadUInt64BigEndian(key[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(key[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(key[24..]));
        return true;
    }

    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _d);
    }

    public ByteString ToByteString()
    {
        var bytes = new byte[DirectorySignatures.PublicKeySize];
        CopyTo(bytes);
        return UnsafeByteOperations.UnsafeWrap(bytes);
    }

    public bool Equals(NodeId other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is NodeId other && Equals(other);

    // Identity keys are chosen by callers, who can grind them; a per-process seeded hash keeps
    // them from piling into one bucket.
    public override int GetHashCode() => HashCode.Combine(_a, _b, _c, _d);

    public int CompareTo(NodeId other)
    {
        var c = _a.CompareTo(other._a);
        if (c != 0)
        {
            return c;
        }

        c = _b.CompareTo(other._b);
        if (c != 0)
        {
            return c;
        }

        c = _c.CompareTo(other._c);
        return c != 0 ? c : _d.CompareTo(other._d);
    }

    /// <summary>Short hex, for logs. Identity keys are public, so this is safe to log.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[DirectorySignatures.PublicKeySize];
        CopyTo(bytes);
        return KeyFingerprint.Abbreviate(bytes);
    }

    public static bool operator ==(NodeId left, NodeId right) => left.Equals(right);

    public static bool operator !=(NodeId left, NodeId right) => !left.Equals(right);

    public static bool operator <(NodeId left, NodeId right) => left.CompareTo(right) < 0;

    public static bool operator >(NodeId left, NodeId right) => left.CompareTo(right) > 0;

    public static bool operator <=(NodeId left, NodeId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(NodeId left, NodeId right) => left.CompareTo(right) >= 0;
}
