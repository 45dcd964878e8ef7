namespace Mixnet.Directory.Client.Internal;

/// <summary>Counts taken out of <see cref="PacketCounters"/> for one report.</summary>
internal sealed record PacketCounts(IReadOnlyDictionary<string, long> Sent, long Received)
{
    public bool IsEmpty => Received == 0 && Sent.Count == 0;
}
