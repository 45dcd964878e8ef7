namespace Mixnet.Directory.Client.Internal;

/// <summary>Counts taken out of <see cref="PacketCounters"/> for one report.</summary>
/// <param name="Sent">Packets sent per next hop.</param>
/// <param name="Received">Packets received in total, attributed to a previous hop or not.</param>
/// <param name="ReceivedFrom">Packets received per previous hop (a part of <paramref name="Received"/>).</param>
internal sealed record PacketCounts(IReadOnlyDictionary<string, long> Sent, long Received, IReadOnlyDictionary<string, long> ReceivedFrom)
{
    public PacketCounts(IReadOnlyDictionary<string, long> sent, long received)
        : this(sent, received, new Dictionary<string, long>(StringComparer.Ordinal))
    {
    }

    public bool IsEmpty => Received == 0 && Sent.Count == 0 && ReceivedFrom.Count == 0;
}
