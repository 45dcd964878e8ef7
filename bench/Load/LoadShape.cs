namespace Mixnet.Directory.Bench.Load;

/// <summary>Closed-loop concurrency: connections (one HTTP/2 connection each) times calls in flight on each.</summary>
internal readonly record struct LoadShape(int Connections, int InFlight)
{
    public int Workers => Connections * InFlight;

    public override string ToString() => $"{Connections} conn × {InFlight} in flight";
}
