using System.Text.Json.Serialization;

namespace Mixnet.Directory.Server.Admin;

/// <summary>The on-disk form of the ban list.</summary>
internal sealed record BanFile(
    [property: JsonPropertyName("format")] int Format,
    [property: JsonPropertyName("bans")] List<BanEntry>? Bans);
