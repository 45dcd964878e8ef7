namespace Mixnet.Directory.Client;

/// <summary>
/// What a consensus topology was accepted on: its epoch window and how many pinned authorities
/// signed it. Present on <see cref="Topology.Consensus"/> only for a topology that came from the
/// directory authorities' consensus.
/// </summary>
/// <param name="Epoch">The consensus epoch (also the topology's <see cref="Topology.Version"/>).</param>
/// <param name="ValidAfter">The start of the epoch; the document is refused before it (less the clock skew).</param>
/// <param name="FreshUntil">When a newer consensus is expected; the client refetches shortly before.</param>
/// <param name="ValidUntil">After this (plus the clock skew) the document is refused.</param>
/// <param name="Signers">Distinct pinned authorities whose signature over the document verified.</param>
/// <param name="Threshold">Signatures the client required.</param>
public sealed record ConsensusInfo(ulong Epoch, DateTimeOffset ValidAfter, DateTimeOffset FreshUntil, DateTimeOffset ValidUntil, int Signers, int Threshold);
