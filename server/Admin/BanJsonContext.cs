using System.Text.Json.Serialization;

namespace Mixnet.Directory.Server.Admin;

/// <summary>Source-generated JSON for the ban file.</summary>
[JsonSerializable(typeof(BanFile))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class BanJsonContext : JsonSerializerContext;
