namespace Mixnet.Directory.Bench.Soak;

/// <summary>The directory's memory at one moment of the soak.</summary>
internal sealed record MemorySample(TimeSpan At, int Pid, long RssBytes, GcFigures Gc, int Agents);
