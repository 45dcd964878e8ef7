namespace Mixnet.Directory.Tests.History;

/// <summary>Everything the clients did and saw in one run, frozen for the checker.</summary>
public sealed record RecordedHistory(
    IReadOnlyList<WriteOp> Writes,
    IReadOnlyList<Observation> Observations,
    HistoryRules Rules,
    byte[] DirectoryKey);
