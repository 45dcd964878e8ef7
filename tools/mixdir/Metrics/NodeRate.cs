namespace Mixnet.Directory.Cli.Metrics;

/// <summary>One node's traffic over the frames held: counts and per-second rates.</summary>
public sealed record NodeRate(ReadOnlyMemory<byte> IdentityKey, ulong Sent, ulong Received, double SentPerSecond, double ReceivedPerSecond)
{
    public double TotalPerSecond => SentPerSecond + ReceivedPerSecond;
}
