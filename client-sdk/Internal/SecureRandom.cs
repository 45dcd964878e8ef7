using System.Security.Cryptography;

namespace Mixnet.Directory.Client.Internal;

/// <summary>
/// A <see cref="Random"/> over the system CSPRNG: an observer who saw some routes must not be able
/// to predict the next, so the default route choice does not use a seeded generator.
/// </summary>
internal sealed class SecureRandom : Random
{
    public static readonly SecureRandom Instance = new();

    public override int Next() => RandomNumberGenerator.GetInt32(int.MaxValue);

    public override int Next(int maxValue) => RandomNumberGenerator.GetInt32(maxValue);

    public override int Next(int minValue, int maxValue) => RandomNumberGenerator.GetInt32(minValue, maxValue);

    public override double NextDouble() => (RandomNumberGenerator.GetInt32(1 << 26) * (double)(1 << 27) + RandomNumberGenerator.GetInt32(1 << 27)) / (1L << 53);

    public override void NextBytes(byte[] buffer) => RandomNumberGenerator.Fill(buffer);

    public override void NextBytes(Span<byte> buffer) => RandomNumberGenerator.Fill(buffer);

    protected override double Sample() => NextDouble();
}
