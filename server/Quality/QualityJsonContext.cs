using System.Text.Json.Serialization;

namespace Mixnet.Directory.Server.Quality;

/// <summary>Source-generated JSON for the quality file.</summary>
[JsonSerializable(typeof(QualityFile))]
internal sealed partial class QualityJsonContext : JsonSerializerContext;
