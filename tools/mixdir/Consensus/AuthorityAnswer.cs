using Mixnet.Directory.V1;

namespace Mixnet.Directory.Cli.Consensus;

/// <summary>What one authority answered to GetConsensus: a signed consensus, or why there is none.</summary>
/// <param name="Address">The authority's gRPC address as given.</param>
/// <param name="Consensus">The consensus it serves; null when it has none or failed.</param>
/// <param name="Check">The consensus checked against the pinned keys; null without a consensus.</param>
/// <param name="Error">Why there is no consensus (unreachable, or none held yet); null with one.</param>
/// <param name="Reached">Whether the authority answered at all.</param>
public sealed record AuthorityAnswer(string Address, SignedConsensus? Consensus, ConsensusCheck? Check, string? Error, bool Reached);
