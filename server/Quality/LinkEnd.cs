namespace Mixnet.Directory.Server.Quality;

/// <summary>One judged link as one of its ends sees it.</summary>
/// <param name="Peer">The listed index of the node at the link's other end.</param>
/// <param name="Own">This end's own count for the link (0 for a silent sender).</param>
/// <param name="Agree">Whether the two ends' counts agreed within the tolerance.</param>
/// <param name="Mutual">Whether both ends reported (only then does the link judge the peer too).</param>
internal readonly record struct LinkEnd(int Peer, ulong Own, bool Agree, bool Mutual);
