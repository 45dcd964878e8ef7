namespace Mixnet.Directory.Server.Quality;

/// <summary>
/// Pairs each link's two counts (A's <c>sent</c> to B, B's <c>received_from</c> A) with flat
/// arrays instead of a map of every link: A's <c>sent</c> entries are bucketed by receiver once,
/// then each receiver's <c>received_from</c> is laid out over an array indexed by sender and its
/// incoming <c>sent</c> entries read against it. Linear in the links; the walk runs twice, once
/// to count each node's ends and once to place them.
/// </summary>
internal sealed class LinkWalk
{
    private readonly HopCountsBox?[] _boxes;
    private readonly int[] _slots;
    private readonly QualityOptions _options;
    private readonly int[] _inStart;
    private readonly int[] _inFrom;
    private readonly ulong[] _inSent;

    /// <param name="boxes">Each listed node's counts, or null when it did not report.</param>
    /// <param name="slots">Endpoint number → listed index, or -1.</param>
    /// <param name="options">The tolerance and the packets a link needs.</param>
    public LinkWalk(HopCountsBox?[] boxes, int[] slots, QualityOptions options)
    {
        _boxes = boxes;
        _slots = slots;
        _options = options;
        var n = boxes.Length;
        _inStart = new int[n + 1];
        for (var a = 0; a < n; a++)
        {
            if (boxes[a] is not { } box)
            {
                continue;
            }

            var sent = box.Sent;
            for (var slot = 0; slot < sent.Count; slot++)
            {
                if (Node(sent.EndpointAt(slot)) is var b and >= 0 && b != a)
                {
                    _inStart[b + 1]++;
                }
            }
        }

        for (var b = 0; b < n; b++)
        {
            _inStart[b + 1] += _inStart[b];
        }

        _inFrom = GC.AllocateUninitializedArray<int>(_inStart[n]);
        _inSent = GC.AllocateUninitializedArray<ulong>(_inStart[n]);
        var fill = _inStart[..n];
        for (var a = 0; a < n; a++)
        {
            if (boxes[a] is not { } box)
            {
                continue;
            }

            var sent = box.Sent;
            for (var slot = 0; slot < sent.Count; slot++)
            {
                if (Node(sent.EndpointAt(slot)) is var b and >= 0 && b != a)
                {
                    var at = fill[b]++;
                    _inFrom[at] = a;
                    _inSent[at] = sent.CountAt(slot);
                }
            }
        }
    }

    /// <summary>Every node's judged link ends.</summary>
    public LinkEnds Ends()
    {
        var n = _boxes.Length;
        var start = new int[n + 1];
        Walk(start, null);
        for (var i = 0; i < n; i++)
        {
            start[i + 1] += start[i];
        }

        var ends = GC.AllocateUninitializedArray<LinkEnd>(start[n]);
        Walk(start[..n], ends);
        return new LinkEnds(start, ends);
    }

    /// <summary>Visits every link once; counts each node's ends into <paramref name="at"/> (shifted by one), or places them at <paramref name="at"/> when <paramref name="ends"/> is given.</summary>
    private void Walk(int[] at, LinkEnd[]? ends)
    {
        var n = _boxes.Length;
        var pending = new int[n]; // b + 1: sender's received_from entry at b not yet paired
        var received = new ulong[n];
        for (var b = 0; b < n; b++)
        {
            var from = _boxes[b]?.ReceivedFrom;
            if (from is not null)
            {
                for (var slot = 0; slot < from.Count; slot++)
                {
                    if (Node(from.EndpointAt(slot)) is var a and >= 0 && a != b)
                    {
                        pending[a] = b + 1;
                        received[a] = from.CountAt(slot);
                    }
                }
            }

            for (var k = _inStart[b]; k < _inStart[b + 1]; k++)
            {
                var a = _inFrom[k];
                var paired = pending[a] == b + 1;
                pending[a] = 0;
                Link(a, b, _inSent[k], paired ? received[a] : 0, at, ends);
            }

            if (from is not null)
            {
                for (var slot = 0; slot < from.Count; slot++)
                {
                    if (Node(from.EndpointAt(slot)) is var a and >= 0 && a != b && pending[a] == b + 1)
                    {
                        pending[a] = 0;
                        Link(a, b, 0, received[a], at, ends);
                    }
                }
            }
        }
    }

    private void Link(int a, int b, ulong sent, ulong received, int[] at, LinkEnd[]? ends)
    {
        if (Math.Max(sent, received) < (ulong)_options.MinLinkPackets)
        {
            return;
        }

        var senderSpoke = _boxes[a] is not null;
        var receiverSpoke = _boxes[b] is { } rb && (rb.Attributed || rb.Received == 0);
        if (senderSpoke && receiverSpoke)
        {
            var agree = Math.Abs((double)sent - received) <= _options.LinkTolerance * Math.Max(sent, received);
            Add(at, ends, a, new LinkEnd(b, sent, agree, Mutual: true));
            Add(at, ends, b, new LinkEnd(a, received, agree, Mutual: true));
        }
        else if (receiverSpoke)
        {
            Add(at, ends, a, new LinkEnd(b, 0, Agree: false, Mutual: false)); // silent sender: unconfirmed, its own loss
        }
        else if (senderSpoke)
        {
            Add(at, ends, b, new LinkEnd(a, received, Agree: false, Mutual: false));
        }
    }

    private static void Add(int[] at, LinkEnd[]? ends, int node, LinkEnd end)
    {
        if (ends is null)
        {
            at[node + 1]++;
        }
        else
        {
            ends[at[node]++] = end;
        }
    }

    private int Node(int endpoint) => (uint)endpoint < (uint)_slots.Length ? _slots[endpoint] : -1;
}
