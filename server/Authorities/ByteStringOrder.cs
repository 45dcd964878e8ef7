using Google.Protobuf;

namespace Mixnet.Directory.Server.Authorities;

/// <summary>Orders byte strings by their bytes (ordinal), the canonical order of keys in documents and votes.</summary>
internal sealed class ByteStringOrder : IComparer<ByteString>
{
    public static readonly ByteStringOrder Instance = new();

    public int Compare(ByteString? x, ByteString? y) =>
        (x ?? ByteString.Empty).Span.SequenceCompareTo((y ?? ByteString.Empty).Span);
}
