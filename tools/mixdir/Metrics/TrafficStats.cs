using Mixnet.Directory.Client;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Cli.Metrics;

/// <summary>
/// The last few metrics frames, summed. Nodes report every <c>next_report_in</c>, not exactly once
/// per window, so one frame's per-node numbers jump; a few frames together give steady rates.
/// </summary>
public sealed class TrafficStats(int frames)
{
    private readonly Queue<MetricsFrame> _frames = new();

    /// <summary>The newest frame, or null before the first.</summary>
    public MetricsFrame? Latest { get; private set; }

    /// <summary>How many frames are summed.</summary>
    public int FrameCount => _frames.Count;

    /// <summary>The time the summed frames cover.</summary>
    public TimeSpan Span => TimeSpan.FromTicks(_frames.Sum(f => f.Window.Ticks));

    public void Add(MetricsFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        _frames.Enqueue(frame);
        while (_frames.Count > Math.Max(1, frames))
        {
            _frames.Dequeue();
        }

        Latest = frame;
    }

    /// <summary>Network packets sent and received per second over the frames held.</summary>
    public (double Sent, double Received) NetworkRates()
    {
        var seconds = Seconds();
        return seconds <= 0 ? (0, 0) : (_frames.Sum(f => (double)f.NetworkSent) / seconds, _frames.Sum(f => (double)f.NetworkReceived) / seconds);
    }

    /// <summary>The busiest nodes (sent plus received), busiest first.</summary>
    public IReadOnlyList<NodeRate> Busiest(int count)
    {
        var seconds = Seconds();
        var sums = new Dictionary<string, (ReadOnlyMemory<byte> Key, ulong Sent, ulong Received)>(StringComparer.Ordinal);
        foreach (var frame in _frames)
        {
            foreach (var node in frame.Nodes)
            {
                var hex = KeyFingerprint.Hex(node.IdentityKey.Span);
                var (_, sent, received) = sums.GetValueOrDefault(hex, (node.IdentityKey, 0UL, 0UL));
                sums[hex] = (node.IdentityKey, sent + node.Sent, received + node.Received);
            }
        }

        return [.. sums.Values
            .Select(s => new NodeRate(s.Key, s.Sent, s.Received, Rate(s.Sent, seconds), Rate(s.Received, seconds)))
            .OrderByDescending(r => r.Sent + r.Received)
            .ThenBy(r => KeyFingerprint.Hex(r.IdentityKey.Span), StringComparer.Ordinal)
            .Take(count)];
    }

    private double Seconds() => Span.TotalSeconds;

    private static double Rate(ulong count, double seconds) => seconds <= 0 ? 0 : count / seconds;
}
