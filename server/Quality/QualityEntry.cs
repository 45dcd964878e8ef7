using System.Text.Json.Serialization;

namespace Mixnet.Directory.Server.Quality;

/// <summary>One node's scores on disk; short names because there is one per node.</summary>
internal sealed record QualityEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("r")] double Reliability,
    [property: JsonPropertyName("r24")] double Reliability24h,
    [property: JsonPropertyName("up")] double Uptime,
    [property: JsonPropertyName("rn")] int ReliabilitySamples,
    [property: JsonPropertyName("pn")] int PresenceSamples,
    [property: JsonPropertyName("x")] bool Excluded,
    [property: JsonPropertyName("seen")] DateTimeOffset LastListed);
