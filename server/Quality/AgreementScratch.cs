namespace Mixnet.Directory.Server.Quality;

/// <summary>
/// A node's agreement from its link ends, with buffers reused across the nodes of one period:
/// the median by selection instead of a sort, and distinct peers by marks in arrays indexed by
/// listed index instead of two hash sets per node.
/// </summary>
internal sealed class AgreementScratch(int nodes, int maxDegree)
{
    private readonly double[] _own = new double[maxDegree];
    private readonly int[] _judged = new int[nodes];
    private readonly int[] _disputed = new int[nodes];

    /// <returns>Agreed weight over judged weight (null without ends), and the distinct peers judged and disputed.</returns>
    public (double? Agreement, int Judged, int Disputed) Of(int node, ReadOnlySpan<LinkEnd> ends)
    {
        if (ends.IsEmpty)
        {
            return (null, 0, 0);
        }

        // Floor each link at the node's median link: a link it claims to have barely used still
        // costs it a typical link when disputed, while a peer's inflated claim never weighs on its
        // side and its own inflated claim weighs fully on it (a mean would spread it).
        var own = _own.AsSpan(0, ends.Length);
        for (var i = 0; i < own.Length; i++)
        {
            own[i] = ends[i].Own;
        }

        var typical = Math.Max(1.0, Median.Select(own, own.Length / 2));
        double weight = 0, agreed = 0;
        int judged = 0, disputed = 0;
        var mark = node + 1;
        foreach (var end in ends)
        {
            var w = Math.Max(end.Own, typical);
            weight += w;
            if (end.Agree)
            {
                agreed += w;
            }

            if (end.Mutual)
            {
                if (_judged[end.Peer] != mark)
                {
                    _judged[end.Peer] = mark;
                    judged++;
                }

                if (!end.Agree && _disputed[end.Peer] != mark)
                {
                    _disputed[end.Peer] = mark;
                    disputed++;
                }
            }
        }

        return (agreed / weight, judged, disputed);
    }
}
