namespace Mixnet.Directory.Bench.Infrastructure;

/// <summary>How one directory process is started: capacity, extra --Key=value settings and environment.</summary>
internal sealed record ServerSettings(int MaxNodes = 100_000)
{
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Set once from --server-env: applied to every directory process, under the scenario's own settings.</summary>
    public static IReadOnlyDictionary<string, string> Common { get; set; } = new Dictionary<string, string>();
}
