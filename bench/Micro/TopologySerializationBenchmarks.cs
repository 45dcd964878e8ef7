using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Bench.Micro;

/// <summary>
/// The yardstick of the topology-full target: serializing one TopologySnapshot of the bench's
/// node count, as the directory does once per version.
/// </summary>
[MemoryDiagnoser]
public class TopologySerializationBenchmarks
{
    private TopologySnapshot _snapshot = new();

    /// <summary>Set by the bench before BenchmarkDotNet runs in-process.</summary>
    public static int NodeCount { get; set; } = 10_000;

    public static IEnumerable<int> NodeCounts => [NodeCount];

    [ParamsSource(nameof(NodeCounts))]
    public int Nodes { get; set; }

    [GlobalSetup]
    public void Setup() => _snapshot = SnapshotFactory.Build(Nodes);

    [Benchmark]
    public byte[] Serialize() => _snapshot.ToByteArray();
}
