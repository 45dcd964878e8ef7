namespace Mixnet.Directory.Server.Limits;

/// <summary>
/// Largest request each service accepts, in one place so the gRPC limits (checked on the length
/// prefix, before the message is buffered) and the JSON/REST limits (checked on Content-Length
/// and while reading) agree.
/// </summary>
internal static class RequestSizeLimits
{
    /// <summary>Anything not listed below: health, reflection.</summary>
    public const int Default = 64 * 1024;

    /// <summary>A signed descriptor is a few hundred bytes.</summary>
    public const int Registry = 4 * 1024;

    public const int Presence = 1024;

    public const int Topology = 1024;

    /// <summary>ReportMetrics' next-hop map, or StreamMetrics' filter of <see cref="StreamLimits.MaxFilterKeys"/> keys (34 KB).</summary>
    public const int Metrics = 64 * 1024;

    public const int Admin = 4 * 1024;

    /// <summary>
    /// JSON spells bytes in base64 (4/3) and names every field, so a REST body may be this many
    /// times the binary limit of its service.
    /// </summary>
    public const int JsonFactor = 4;

    /// <summary>The largest JSON body a REST route under /v1 accepts.</summary>
    public static int JsonBodyFor(PathString path) =>
        JsonFactor * (path.StartsWithSegments("/v1/nodes:register", StringComparison.Ordinal) ? Registry
            : path.StartsWithSegments("/v1/admin", StringComparison.Ordinal) ? Admin
            : Presence);
}
