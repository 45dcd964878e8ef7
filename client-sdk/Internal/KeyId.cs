using System.Buffers.Binary;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Client.Internal;

/// <summary>A 32-byte key as a value: a dictionary key without hex strings or byte-array comparers.</summary>
internal readonly record struct KeyId(ulong A, ulong B, ulong C, ulong D)
{
    public static KeyId From(ReadOnlySpan<byte> key)
    {
        if (key.Length != DirectorySignatures.PublicKeySize)
        {
            throw new ArgumentException($"A key is {DirectorySignatures.PublicKeySize} bytes, got {key.Length}.", nameof(key));
        }

        return new(
            BinaryPrimitives.ReadUInt64BigEndian(key),
            BinaryPrimitives.ReadUInt64BigEndian(key[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(key[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(key[24..]));
    }
}
