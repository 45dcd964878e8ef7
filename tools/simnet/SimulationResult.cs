namespace Mixnet.Directory.Simnet;

/// <summary>What a run did, and what the directory counted while it ran.</summary>
/// <param name="Packets">Packets sent along routes (each crossed four links).</param>
/// <param name="AgentsStarted">Agents started, churn replacements included.</param>
/// <param name="AgentsRegistered">Agents that registered.</param>
/// <param name="Churned">Nodes that left and were replaced.</param>
/// <param name="Drained">Whether every node's last counts reached the directory before the agents stopped.</param>
/// <param name="DirectorySent">Network-wide packets sent in the metrics frames seen during the run.</param>
/// <param name="DirectoryReceived">Network-wide packets received in the metrics frames seen during the run.</param>
/// <param name="LastFlushWindowEnd">The end of the frame that carried the last flushed counts; null when nothing was flushed.</param>
public sealed record SimulationResult(
    long Packets,
    int AgentsStarted,
    int AgentsRegistered,
    int Churned,
    bool Drained,
    ulong DirectorySent,
    ulong DirectoryReceived,
    DateTimeOffset? LastFlushWindowEnd)
{
    /// <summary>Links crossed: four per packet (gateway, three mixnodes, gateway).</summary>
    public long Hops => Packets * 4;
}
