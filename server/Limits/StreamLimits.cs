namespace Mixnet.Directory.Server.Limits;

/// <summary>What one open stream may make the directory hold.</summary>
internal static class StreamLimits
{
    /// <summary>
    /// Most identities one StreamMetrics filter may name. A key costs 34 bytes on the wire, so
    /// 1,000 keys (34 KB) fit well inside MetricsService's 64 KB request limit: the caller always
    /// gets this count check naming identity_keys, never a bare size refusal. In memory the
    /// filter holds at most about 100 KB.
    /// </summary>
    public const int MaxFilterKeys = 1_000;
}
