namespace Mixnet.Directory.Simnet;

/// <summary>Compares keys by their bytes, so identity keys can index dictionaries without hex strings.</summary>
public sealed class KeyComparer : IEqualityComparer<ReadOnlyMemory<byte>>
{
    public static KeyComparer Instance { get; } = new();

    public bool Equals(ReadOnlyMemory<byte> x, ReadOnlyMemory<byte> y) => x.Span.SequenceEqual(y.Span);

    public int GetHashCode(ReadOnlyMemory<byte> obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj.Span);
        return hash.ToHashCode();
    }
}
