using System.Text.Json.Serialization;

namespace Mixnet.Directory.Server.Quality;

/// <summary>The on-disk form of the scores (<c>{DataPath}/quality.json</c>): about 150 bytes per node.</summary>
internal sealed record QualityFile(
    [property: JsonPropertyName("format")] int Format,
    [property: JsonPropertyName("nodes")] List<QualityEntry>? Nodes);
